import EventPatterns
import Foundation
import Testing

@testable import TrailscanCore

@Suite("Built-in rules")
struct BuiltInRulesTests {
    static let repositoryRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    @Test("embedded copy matches rules/")
    func embeddedCopyIsCurrent() throws {
        let folder = Self.repositoryRoot.appendingPathComponent("rules")
        let enumerator = try #require(FileManager.default.enumerator(atPath: folder.path))
        var onDisk: [String: String] = [:]
        while let relative = enumerator.nextObject() as? String {
            guard relative.hasSuffix(".json") else { continue }
            onDisk["rules/" + relative] = try String(contentsOf: folder.appendingPathComponent(relative), encoding: .utf8)
        }
        var embedded: [String: String] = [:]
        for (path, text) in BuiltInRules.files { embedded[path] = text }

        #expect(Set(embedded.keys) == Set(onDisk.keys), "run `make rules` after adding or removing a rule")
        for (path, text) in onDisk {
            #expect(embedded[path] == text.trimmingCharacters(in: .newlines), "\(path) changed; run `make rules`")
        }
    }

    @Test("every example behaves as labelled")
    func examples() throws {
        let rules = try RuleSet.load(directories: []).rules
        #expect(rules.count == BuiltInRules.files.count)
        for rule in rules {
            #expect(!rule.matchExamples.isEmpty, "\(rule.name) has no match example")
            #expect(!rule.noMatchExamples.isEmpty, "\(rule.name) has no no_match example")
            for (index, example) in rule.matchExamples.enumerated() {
                #expect(Self.matches(rule, example), "\(rule.file): examples.match[\(index)] does not match")
            }
            for (index, example) in rule.noMatchExamples.enumerated() {
                #expect(!Self.matches(rule, example), "\(rule.file): examples.no_match[\(index)] matches")
            }
        }
    }

    /// Matches an example record through the byte scanner, as a scan would.
    static func matches(_ rule: Rule, _ example: JSONValue) -> Bool {
        let set = RuleSet(rules: [rule])
        var scanner = FieldScanner(trie: FieldTrie(matcherPaths: set.matcher.fieldPaths))
        let bytes = Array(example.serialized.utf8)
        return bytes.withUnsafeBufferPointer { buffer in
            guard (try? scanner.scan(buffer)) != nil else { return false }
            var hits: [Int] = []
            set.matcher.matchingPatterns(in: scanner.event, into: &hits)
            return hits == [0]
        }
    }
}
