import EventPatterns
import Testing

/// `FlatEvent.init(_:fieldPaths:)` numbers arrays and records positions the
/// way the byte scanner does.
@Suite("Flattening a parsed event")
struct FlatEventTests {
    func flatten(_ text: String, paths: [String]) throws -> FlatEvent {
        FlatEvent(try JSONValue(parsing: text), fieldPaths: paths.map { FieldPath(dotted: $0) })
    }

    func positions(_ event: FlatEvent) -> [[[Int32]]] {
        event.leaves.map { leaf in event.arrayPositions(of: leaf).map { [$0.arrayID, $0.index] } }
    }

    @Test("array of objects records shared positions")
    func arrayOfObjects() throws {
        let event = try flatten(#"{"a": [{"b": 1, "c": 2}, {"b": 3}]}"#, paths: ["a.b", "a.c"])
        #expect(event.leaves.map(\.pathID) == [0, 1, 0])
        #expect(event.leaves.map(\.number) == [1, 2, 3])
        #expect(positions(event) == [[[0, 0]], [[0, 0]], [[0, 1]]])
    }

    @Test("nested arrays each get an ID")
    func nestedArrays() throws {
        let event = try flatten(#"{"skip": [1], "t": [["a"], ["b", "c"]]}"#, paths: ["t"])
        #expect(event.leaves.count == 3)
        #expect(positions(event) == [[[1, 0], [2, 0]], [[1, 1], [3, 0]], [[1, 1], [3, 1]]])
    }

    @Test("dotted event keys split into components")
    func dottedKeys() throws {
        let event = try flatten(#"{"detail": {"state.status": "running"}}"#, paths: ["detail.state.status"])
        let leaf = try #require(event.leaves.first)
        #expect(event.leaves.count == 1)
        #expect(leaf.kind == .string)
        #expect(Array(event.stringBytes(of: leaf)) == Array("running".utf8))
    }

    @Test("objects and empty arrays add no leaf")
    func nonLeaves() throws {
        let event = try flatten(#"{"a": {}, "b": [], "c": {"d": 1}, "e": null}"#, paths: ["a", "b", "c", "e"])
        #expect(event.leaves.count == 1)
        #expect(event.leaves.first?.kind == .null)
        #expect(event.leaves.first?.pathID == 3)
    }

    @Test("literals keep their kind")
    func literals() throws {
        let event = try flatten(#"{"x": [true, false, null, "s", 2.5]}"#, paths: ["x"])
        #expect(event.leaves.map(\.kind) == [.true, .false, .null, .string, .number])
    }

    @Test("matcher paths are sorted and shared")
    func matcherPaths() throws {
        let first = try Pattern(parsing: #"{"b": ["1"], "a": {"c": ["2"]}}"#)
        let second = try Pattern(parsing: #"{"a.c": ["3"], "$or": [{"z": ["4"]}, {"b": ["5"]}]}"#)
        let matcher = PatternMatcher([first, second])
        #expect(matcher.fieldPaths.map(\.description) == ["a.c", "b", "z"])

        var result: [Int] = []
        var workspace = PatternMatcher.Workspace()
        let event = FlatEvent(try JSONValue(parsing: #"{"a": {"c": "3"}, "b": "1", "z": "4"}"#), fieldPaths: matcher.fieldPaths)
        matcher.matchingPatterns(in: event, into: &result, using: &workspace)
        #expect(result == [1])

        result.removeAll()
        let both = FlatEvent(try JSONValue(parsing: #"{"a": {"c": ["2", "3"]}, "b": ["1", "5"]}"#), fieldPaths: matcher.fieldPaths)
        matcher.matchingPatterns(in: both, into: &result, using: &workspace)
        #expect(result == [0, 1])
    }
}
