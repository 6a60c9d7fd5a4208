import EventPatterns
import Testing

/// Hostile patterns and events finish quickly and still match correctly.
@Suite("Adversarial inputs", .timeLimit(.minutes(1)))
struct AdversarialInputTests {
    @Test("wildcard with many stars on a long string")
    func wildcardManyStars() throws {
        let wildcard = String(repeating: "a*", count: 40) + "b"
        let pattern = try Pattern(parsing: #"{"x": [{"wildcard": "\#(wildcard)"}]}"#)
        let longText = String(repeating: "a", count: 20_000)

        let start = ContinuousClock.now
        #expect(!pattern.matches(.object([JSONMember(key: "x", value: .string(longText))])))
        #expect(pattern.matches(.object([JSONMember(key: "x", value: .string(longText + "b"))])))
        #expect(ContinuousClock.now - start < .seconds(5))
    }

    @Test("10,000-element array of objects")
    func largeArrayOfObjects() throws {
        let pattern = try Pattern(parsing: #"{"items": {"user": ["alice"], "action": ["delete"]}}"#)
        var elements: [JSONValue] = []
        for index in 0..<10_000 {
            // Every element has one of the two wanted values, never both.
            let member =
                index.isMultiple(of: 2)
                ? JSONMember(key: "user", value: .string("alice"))
                : JSONMember(key: "action", value: .string("delete"))
            elements.append(.object([member]))
        }
        let noMatch = JSONValue.object([JSONMember(key: "items", value: .array(elements))])
        let withMatch = JSONValue.object([
            JSONMember(
                key: "items",
                value: .array(
                    elements + [
                        .object([
                            JSONMember(key: "user", value: .string("alice")),
                            JSONMember(key: "action", value: .string("delete")),
                        ])
                    ]))
        ])

        let start = ContinuousClock.now
        #expect(pattern.matches(withMatch))
        #expect(!pattern.matches(noMatch))
        #expect(ContinuousClock.now - start < .seconds(5))
    }

    @Test("10,000-element array of strings")
    func largeArrayOfStrings() throws {
        let pattern = try Pattern(parsing: #"{"tags": [{"anything-but": {"prefix": "t"}}]}"#)
        let tags = (0..<10_000).map { JSONValue.string("t\($0)") }
        #expect(!pattern.matches(.object([JSONMember(key: "tags", value: .array(tags))])))
        #expect(pattern.matches(.object([JSONMember(key: "tags", value: .array(tags + [.string("u")]))])))
    }

    @Test("$or nested 200 levels deep")
    func deeplyNestedOr() throws {
        var text = #"{"leaf": ["x"]}"#
        for level in 0..<200 {
            text = #"{"$or": [\#(text), {"f\#(level)": ["y"]}]}"#
        }
        let pattern = try Pattern(parsing: text)
        #expect(pattern.matches(try JSONValue(parsing: #"{"leaf": "x"}"#)))
        #expect(pattern.matches(try JSONValue(parsing: #"{"f150": "y"}"#)))
        #expect(!pattern.matches(try JSONValue(parsing: #"{"f200": "y"}"#)))
    }

    @Test("$or expanding past the limit is rejected without building it")
    func explodingOr() throws {
        let alternatives = (0..<50).map { #"{"f\#($0)": ["v"]}"# }.joined(separator: ",")
        let field = #"{"$or": [\#(alternatives)]}"#
        let fields = (0..<20).map { #""g\#($0)": \#(field)"# }.joined(separator: ",")
        let start = ContinuousClock.now
        #expect(throws: PatternError.self) { try Pattern(parsing: "{\(fields)}") }
        #expect(ContinuousClock.now - start < .seconds(5))
    }
}
