import EventPatterns

/// Writes rules as infrastructure code that creates one EventBridge rule per
/// detection rule, for `trailscan rules export`.
///
/// The exported `EventPattern` is the rule's pattern exactly as written in
/// its file (same keys, values and number spellings), so EventBridge applies
/// the same pattern that trailscan does.
public enum RuleExport {
    public enum Format: String, Sendable, CaseIterable {
        case cloudformation
        case terraform
    }

    /// The longest EventBridge rule name, and the longest description.
    /// Source: the `Rule` data type in the Amazon EventBridge API reference.
    // NOTE: the same reference limits EventPattern to 4096 characters. The
    // export does not check that, so a longer pattern fails at deploy time.
    static let maximumNameLength = 64
    static let maximumDescriptionLength = 512

    /// Returns the text of a template that creates every rule of `rules`.
    public static func render(_ rules: [Rule], format: Format) -> String {
        switch format {
        case .cloudformation: cloudFormationTemplate(rules)
        case .terraform: terraformConfiguration(rules)
        }
    }

    /// Returns an EventBridge rule name for each rule, in order: characters
    /// outside `[.\-_A-Za-z0-9]` (rule names may hold any Unicode letter)
    /// become `-`, names are cut to 64 characters, and a name taken by an
    /// earlier rule gets a numeric suffix.
    static func eventBridgeNames(for rules: [Rule]) -> [String] {
        var used: Set<String> = []
        return rules.map { rule in
            let allowed = rule.name.unicodeScalars.map { scalar in
                isASCIIAlphanumeric(scalar) || scalar == "." || scalar == "-" || scalar == "_" ? Character(scalar) : "-"
            }
            return unique(String(String(allowed).prefix(maximumNameLength)), in: &used, maximumLength: maximumNameLength)
        }
    }

    /// Returns an identifier for each rule, built from the ASCII letters and
    /// digits of its name with each word capitalized and `suffix` appended,
    /// unique among `rules`. CloudFormation logical IDs must be alphanumeric.
    static func identifiers(for rules: [Rule], suffix: String) -> [String] {
        var used: Set<String> = []
        return rules.map { rule in
            var identifier = ""
            var startsWord = true
            for scalar in rule.name.unicodeScalars {
                guard isASCIIAlphanumeric(scalar) else {
                    startsWord = true
                    continue
                }
                identifier += startsWord ? String(scalar).uppercased() : String(scalar)
                startsWord = false
            }
            if identifier.isEmpty || identifier.first!.isNumber { identifier = "Rule" + identifier }
            return unique(identifier + suffix, in: &used, maximumLength: 255)
        }
    }

    /// Returns the description to store in AWS: the rule's own, else one
    /// built from its name, cut to the AWS maximum.
    static func description(of rule: Rule) -> String {
        let text = rule.description.isEmpty ? "trailscan rule \(rule.name)" : rule.description
        return String(text.prefix(maximumDescriptionLength))
    }

    private static func isASCIIAlphanumeric(_ scalar: Unicode.Scalar) -> Bool {
        ("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar) || ("0"..."9").contains(scalar)
    }

    /// Returns `candidate`, or `candidate` with the smallest numeric suffix
    /// that is not in `used` (cutting the candidate to stay within
    /// `maximumLength`), and adds the result to `used`.
    private static func unique(_ candidate: String, in used: inout Set<String>, maximumLength: Int) -> String {
        var result = candidate
        var counter = 2
        while used.contains(result) {
            let suffix = String(counter)
            result = String(candidate.prefix(maximumLength - suffix.count)) + suffix
            counter += 1
        }
        used.insert(result)
        return result
    }
}

extension JSONValue {
    /// This value as indented JSON, each nesting level `indent` more than
    /// `margin`. Numbers keep their original text.
    func prettyPrinted(margin: String = "", indent: String = "  ") -> String {
        switch self {
        case .array(let elements) where !elements.isEmpty:
            let inner = margin + indent
            let lines = elements.map { inner + $0.prettyPrinted(margin: inner, indent: indent) }
            return "[\n" + lines.joined(separator: ",\n") + "\n" + margin + "]"
        case .object(let members) where !members.isEmpty:
            let inner = margin + indent
            let lines = members.map { member in
                var key = ""
                JSONValue.writeQuoted(member.key, to: &key)
                return inner + key + ": " + member.value.prettyPrinted(margin: inner, indent: indent)
            }
            return "{\n" + lines.joined(separator: ",\n") + "\n" + margin + "}"
        default:
            return serialized
        }
    }
}
