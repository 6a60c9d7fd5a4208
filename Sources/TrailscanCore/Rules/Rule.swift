import EventPatterns

/// A detection rule: an EventBridge pattern with a name, a base score and
/// example records.
public struct Rule: Sendable {
    public var name: String
    public var description: String
    /// Points every finding of this rule starts from, 0...100.
    public var baseScore: Int
    /// ATT&CK and other tags, such as `attack.t1078.004`.
    public var tags: [String]
    public var pattern: Pattern
    /// Records (or envelopes) that must match, and that must not.
    public var matchExamples: [JSONValue]
    public var noMatchExamples: [JSONValue]
    /// Where the rule came from: a file path, or `builtin:<path>` for an embedded rule.
    public var file: String
}

/// An invalid rule file: the file, and what is wrong.
public struct RuleError: Error, Sendable, CustomStringConvertible {
    public var file: String
    public var message: String

    public init(file: String, message: String) {
        self.file = file
        self.message = message
    }

    public var description: String { "\(file): \(message)" }
}
