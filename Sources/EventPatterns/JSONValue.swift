/// A parsed JSON document, for patterns, rule files, configuration and tests.
///
/// This is the slow, convenient representation. The scan hot path never builds
/// one per record; it scans bytes and fills a `FlatEvent` instead.
public enum JSONValue: Sendable, Equatable {
    case null
    case bool(Bool)
    /// A number with its value and its text as written (`300e-2` stays
    /// `300e-2`, so a pattern can be exported unchanged).
    case number(Double, text: String)
    case string(String)
    case array([JSONValue])
    /// Members in document order. A repeated key keeps every occurrence here;
    /// `subscript(key:)` returns the last one, as EventBridge does.
    case object([JSONMember])
}

/// One `"key": value` member of a JSON object.
public struct JSONMember: Sendable, Equatable {
    public var key: String
    public var value: JSONValue

    public init(key: String, value: JSONValue) {
        self.key = key
        self.value = value
    }
}

extension JSONValue {
    /// The value of the last member named `key`, or nil when this is not an
    /// object or has no such member.
    public subscript(key: String) -> JSONValue? {
        guard case .object(let members) = self else { return nil }
        return members.last(where: { $0.key == key })?.value
    }

    public var stringValue: String? {
        if case .string(let text) = self { return text }
        return nil
    }

    public var numberValue: Double? {
        if case .number(let value, _) = self { return value }
        return nil
    }

    public var boolValue: Bool? {
        if case .bool(let value) = self { return value }
        return nil
    }

    public var arrayValue: [JSONValue]? {
        if case .array(let elements) = self { return elements }
        return nil
    }

    public var objectMembers: [JSONMember]? {
        if case .object(let members) = self { return members }
        return nil
    }

    /// The name of this value's JSON type, for error messages.
    public var typeName: String {
        switch self {
        case .null: "null"
        case .bool: "a boolean"
        case .number: "a number"
        case .string: "a string"
        case .array: "an array"
        case .object: "an object"
        }
    }
}
