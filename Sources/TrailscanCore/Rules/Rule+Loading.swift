import EventPatterns
import Foundation

extension Rule {
    static let knownKeys: Set<String> = ["name", "description", "base_score", "tags", "pattern", "examples"]

    /// Parses and validates one rule file's text.
    public init(parsing text: some Collection<UInt8>, file: String) throws(RuleError) {
        let json: JSONValue
        do {
            json = try JSONValue(parsing: text)
        } catch {
            throw RuleError(file: file, message: error.description)
        }
        guard let members = json.objectMembers else {
            throw RuleError(file: file, message: "a rule file must hold one JSON object, found \(json.typeName)")
        }
        if let unknown = members.first(where: { !Rule.knownKeys.contains($0.key) }) {
            throw RuleError(
                file: file,
                message: "unknown key \"\(unknown.key)\"; a rule has \(Rule.knownKeys.sorted().joined(separator: ", "))")
        }

        guard let name = json["name"]?.stringValue, !name.isEmpty else {
            throw RuleError(file: file, message: "\"name\" must be a non-empty string")
        }
        guard name.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" || $0 == "." }) else {
            throw RuleError(file: file, message: "\"name\" \"\(name)\" may contain only letters, digits, '-', '_' and '.'")
        }
        let description = json["description"]?.stringValue ?? ""
        let baseScore = try Rule.baseScore(json["base_score"], file: file)
        let tags = try Rule.tags(json["tags"], file: file)

        guard let patternJSON = json["pattern"] else {
            throw RuleError(file: file, message: "\"pattern\" is missing")
        }
        let pattern: Pattern
        do {
            pattern = try Pattern(patternJSON)
        } catch {
            throw RuleError(file: file, message: "invalid pattern: " + error.description)
        }

        let (matchExamples, noMatchExamples) = try Rule.examples(json["examples"], file: file)
        self.init(
            name: name, description: description, baseScore: baseScore, tags: tags, pattern: pattern,
            matchExamples: matchExamples, noMatchExamples: noMatchExamples, file: file)
    }

    private static func baseScore(_ value: JSONValue?, file: String) throws(RuleError) -> Int {
        guard let value else { return 0 }
        guard let number = value.numberValue, number == number.rounded(), (0...100).contains(number) else {
            throw RuleError(file: file, message: "\"base_score\" must be an integer from 0 to 100, found \(value.serialized)")
        }
        return Int(number)
    }

    private static func tags(_ value: JSONValue?, file: String) throws(RuleError) -> [String] {
        guard let value else { return [] }
        guard let elements = value.arrayValue else {
            throw RuleError(file: file, message: "\"tags\" must be an array of strings")
        }
        var tags: [String] = []
        for element in elements {
            guard let tag = element.stringValue else {
                throw RuleError(file: file, message: "\"tags\" must be an array of strings, found \(element.serialized)")
            }
            tags.append(tag)
        }
        return tags
    }

    private static func examples(_ value: JSONValue?, file: String) throws(RuleError) -> ([JSONValue], [JSONValue]) {
        guard let value else { return ([], []) }
        guard let members = value.objectMembers else {
            throw RuleError(file: file, message: "\"examples\" must be an object with \"match\" and \"no_match\" arrays")
        }
        if let unknown = members.first(where: { $0.key != "match" && $0.key != "no_match" }) {
            throw RuleError(file: file, message: "unknown key \"examples.\(unknown.key)\"; use \"match\" and \"no_match\"")
        }
        func records(_ key: String) throws(RuleError) -> [JSONValue] {
            guard let list = value[key] else { return [] }
            guard let elements = list.arrayValue, elements.allSatisfy({ $0.objectMembers != nil }) else {
                throw RuleError(file: file, message: "\"examples.\(key)\" must be an array of JSON objects")
            }
            return elements
        }
        return (try records("match"), try records("no_match"))
    }
}
