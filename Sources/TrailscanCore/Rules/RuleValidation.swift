import EventPatterns

/// Every problem of one rule file, for `trailscan rules validate`.
///
/// `Rule(parsing:file:)` stops at the first problem, which suits loading.
/// This check looks at each part of the file on its own (keys, name,
/// base_score, tags, pattern, examples) so one run lists them all. A pattern
/// contributes at most one problem, because the pattern compiler stops at
/// its first.
public struct RuleFileCheck: Sendable {
    public var file: String
    /// The rule's name when the file has a usable one, even if other parts
    /// are invalid, so duplicate names can still be found.
    public var name: String?
    /// The loaded rule, when the file has no problem.
    public var rule: Rule?
    public var problems: [String]

    /// Checks one rule file's text.
    public init(text: some Collection<UInt8>, file: String) {
        self.file = file
        self.problems = []

        let json: JSONValue
        do {
            json = try JSONValue(parsing: text)
        } catch {
            problems.append(error.description)
            return
        }
        guard let members = json.objectMembers else {
            problems.append("a rule file must hold one JSON object, found \(json.typeName)")
            return
        }

        checkKeys(members)
        checkName(json["name"])
        checkBaseScore(json["base_score"])
        checkTags(json["tags"])
        checkPattern(json["pattern"])
        checkExamples(json["examples"])

        guard problems.isEmpty else { return }
        do {
            rule = try Rule(parsing: text, file: file)
        } catch {
            // The loader found something the checks above do not know about.
            problems.append(error.message)
        }
    }

    private mutating func checkKeys(_ members: [JSONMember]) {
        var seen: Set<String> = []
        for member in members {
            if !Rule.knownKeys.contains(member.key) {
                problems.append("unknown key \"\(member.key)\"; a rule has \(Rule.knownKeys.sorted().joined(separator: ", "))")
            }
            if !seen.insert(member.key).inserted {
                problems.append("key \"\(member.key)\" appears more than once; only the last one counts, so remove the others")
            }
        }
    }

    private mutating func checkName(_ value: JSONValue?) {
        guard let name = value?.stringValue, !name.isEmpty else {
            problems.append("\"name\" must be a non-empty string")
            return
        }
        guard name.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" || $0 == "." }) else {
            problems.append("\"name\" \"\(name)\" may contain only letters, digits, '-', '_' and '.'")
            return
        }
        self.name = name
    }

    private mutating func checkBaseScore(_ value: JSONValue?) {
        guard let value else { return }
        guard let number = value.numberValue, number == number.rounded(), (0...100).contains(number) else {
            problems.append("\"base_score\" must be an integer from 0 to 100, found \(value.serialized)")
            return
        }
    }

    private mutating func checkTags(_ value: JSONValue?) {
        guard let value else { return }
        guard let elements = value.arrayValue else {
            problems.append("\"tags\" must be an array of strings, found \(value.typeName)")
            return
        }
        for (index, element) in elements.enumerated() where element.stringValue == nil {
            problems.append("\"tags[\(index)]\" must be a string, found \(element.serialized)")
        }
    }

    private mutating func checkPattern(_ value: JSONValue?) {
        guard let value else {
            problems.append("\"pattern\" is missing")
            return
        }
        do {
            _ = try Pattern(value)
        } catch {
            problems.append("invalid pattern: " + error.description)
        }
    }

    private mutating func checkExamples(_ value: JSONValue?) {
        guard let value else { return }
        guard let members = value.objectMembers else {
            problems.append("\"examples\" must be an object with \"match\" and \"no_match\" arrays")
            return
        }
        for member in members where member.key != "match" && member.key != "no_match" {
            problems.append("unknown key \"examples.\(member.key)\"; use \"match\" and \"no_match\"")
        }
        for key in ["match", "no_match"] {
            guard let list = value[key] else { continue }
            guard let elements = list.arrayValue else {
                problems.append("\"examples.\(key)\" must be an array of JSON objects, found \(list.typeName)")
                continue
            }
            for (index, element) in elements.enumerated() where element.objectMembers == nil {
                problems.append("\"examples.\(key)[\(index)]\" must be a JSON object, found \(element.typeName)")
            }
        }
    }
}
