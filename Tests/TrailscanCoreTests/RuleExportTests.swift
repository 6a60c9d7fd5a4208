import EventPatterns
import Foundation
import Testing

@testable import TrailscanCore

@Suite("Rule export")
struct RuleExportTests {
    private static func rule(_ name: String, pattern: String = #"{"source": ["aws.sts"]}"#, description: String = "") throws -> Rule {
        Rule(
            name: name, description: description, baseScore: 0, tags: [],
            pattern: try Pattern(parsing: pattern), matchExamples: [], noMatchExamples: [], file: "test.json")
    }

    @Test("EventBridge names are valid and unique")
    func names() throws {
        let long = String(repeating: "A", count: 70)
        let rules = try ["Ünïcode.Rule", long, long, "plain-name_1.0"].map { try Self.rule($0) }
        let names = RuleExport.eventBridgeNames(for: rules)
        #expect(names[0] == "-n-code.Rule")
        #expect(names[1] == String(repeating: "A", count: 64))
        #expect(names[2] == String(repeating: "A", count: 63) + "2")
        #expect(names[3] == "plain-name_1.0")
        for name in names {
            #expect(name.count <= 64)
            #expect(name.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || "._-".contains($0)) }, "\(name)")
        }
    }

    @Test("logical IDs are alphanumeric and unique")
    func logicalIDs() throws {
        let rules = try ["root-login", "root.login", "9lives"].map { try Self.rule($0) }
        #expect(RuleExport.identifiers(for: rules, suffix: "Rule") == ["RootLoginRule", "RootLoginRule2", "Rule9livesRule"])
    }

    @Test("HCL strings escape template sequences")
    func hclQuoting() {
        #expect(RuleExport.hclQuoted(#"say "${x}" and %{y}"#) == #""say \"$${x}\" and %%{y}""#)
    }

    /// terraform itself is not available here, so this parses the generated
    /// HCL with the structural reader below instead of `terraform validate`.
    @Test("Terraform export parses back to the patterns")
    func terraformStructure() throws {
        var rules = try RuleSet.load(directories: []).rules
        rules.append(try Self.rule(
            "Tricky", pattern: #"{"detail": {"note": [{"wildcard": "${var}*%{x}"}], "n": [300e-2]}}"#,
            description: "quote \" backslash \\ template ${x}"))
        let text = RuleExport.render(rules, format: .terraform)

        let resources = try TerraformReader.resources(in: text, type: "aws_cloudwatch_event_rule")
        #expect(resources.count == rules.count)
        let names = RuleExport.eventBridgeNames(for: rules)
        for (index, rule) in rules.enumerated() {
            let resource = try #require(resources.first { $0["name"] == names[index] }, "no resource for \(rule.name)")
            #expect(resource["description"] == RuleExport.description(of: rule))
            let patternText = try #require(resource["event_pattern"])
            #expect(try JSONValue(parsing: patternText) == rule.pattern.source, "\(rule.name)")
        }
    }

    @Test("CloudFormation export parses back to the patterns")
    func cloudFormationPatterns() throws {
        let rules = try RuleSet.load(directories: []).rules
        let template = try JSONValue(parsing: RuleExport.render(rules, format: .cloudformation))
        let resources = try #require(template["Resources"]?.objectMembers)
        #expect(resources.count == rules.count)
        for (resource, rule) in zip(resources, rules) {
            #expect(resource.value["Properties"]?["EventPattern"] == rule.pattern.source)
        }
    }
}

/// Reads the top-level `resource "TYPE" "LABEL" { ... }` blocks of generated
/// HCL: checks that braces balance and returns each block's attributes, with
/// quoted strings and `<<-` heredocs unescaped. It covers only the subset the
/// exporter writes (one attribute per line).
enum TerraformReader {
    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    static func resources(in text: String, type: String) throws -> [[String: String]] {
        var resources: [[String: String]] = []
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)[...]
        var depth = 0
        while let line = lines.popFirst() {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.isEmpty || trimmed.hasPrefix("#") { continue }
            if trimmed.hasSuffix("{") {
                depth += 1
                guard depth == 1 else { throw Failure(description: "nested block in: \(line)") }
                let attributes = try block(&lines)
                depth -= 1
                if trimmed.hasPrefix("resource \"\(type)\"") { resources.append(attributes) }
                continue
            }
            throw Failure(description: "unexpected top-level line: \(line)")
        }
        return resources
    }

    /// Reads attributes up to the closing `}` of the current block.
    private static func block(_ lines: inout ArraySlice<String>) throws -> [String: String] {
        var attributes: [String: String] = [:]
        while let line = lines.popFirst() {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed == "}" { return attributes }
            guard let equals = trimmed.firstIndex(of: "=") else { throw Failure(description: "not an attribute: \(line)") }
            let key = trimmed[..<equals].trimmingCharacters(in: .whitespaces)
            let value = trimmed[trimmed.index(after: equals)...].trimmingCharacters(in: .whitespaces)
            if value.hasPrefix("<<-") {
                let marker = String(value.dropFirst(3))
                var body: [String] = []
                while let next = lines.popFirst(), next.trimmingCharacters(in: .whitespaces) != marker {
                    body.append(next)
                }
                attributes[key] = unescapeTemplate(body.joined(separator: "\n"))
            } else if value.hasPrefix("\"") {
                attributes[key] = try unquote(value)
            } else {
                attributes[key] = value
            }
        }
        throw Failure(description: "a block is not closed")
    }

    /// Decodes an HCL quoted string: the JSON escapes plus `$${` and `%%{`.
    private static func unquote(_ literal: String) throws -> String {
        guard case .string(let text) = try JSONValue(parsing: literal) else {
            throw Failure(description: "not a string: \(literal)")
        }
        return unescapeTemplate(text)
    }

    private static func unescapeTemplate(_ text: String) -> String {
        text.replacingOccurrences(of: "$${", with: "${").replacingOccurrences(of: "%%{", with: "%{")
    }
}
