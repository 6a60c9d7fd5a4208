// PLACEHOLDER: replaced by the pattern compiler. The declarations below are the
// interface that TrailscanCore builds against.

/// A field path inside an event, such as `detail.userIdentity.type`.
/// A key written with dots (`{"a.b": ...}`) addresses the same field as the
/// nested form (`{"a": {"b": ...}}`), so components never contain a dot.
public struct FieldPath: Hashable, Comparable, Sendable, CustomStringConvertible {
    public var components: [String]

    public init(_ components: [String]) {
        self.components = components.flatMap { $0.split(separator: ".", omittingEmptySubsequences: false).map(String.init) }
    }

    public init(dotted: String) {
        self.init([dotted])
    }

    public var description: String { components.joined(separator: ".") }

    public static func < (lhs: FieldPath, rhs: FieldPath) -> Bool {
        lhs.components.lexicographicallyPrecedes(rhs.components)
    }
}

/// A validated EventBridge event pattern.
public struct Pattern: Sendable {
    /// The pattern as written.
    public let source: JSONValue

    /// Validates `json` as an EventBridge pattern.
    /// - Throws: `PatternError` naming the JSON path of the first problem.
    public init(_ json: JSONValue) throws(PatternError) {
        self.source = json
    }

    public init(parsing text: String) throws(PatternError) {
        do {
            try self.init(JSONValue(parsing: text))
        } catch let error as JSONSyntaxError {
            throw PatternError(path: "", problem: error.description, fix: nil)
        } catch let error as PatternError {
            throw error
        } catch {
            throw PatternError(path: "", problem: "\(error)", fix: nil)
        }
    }
}

/// Why a pattern is invalid: where (a JSON path inside the pattern, such as
/// `detail.errorCode[0]`), what is wrong, and how to write it instead.
public struct PatternError: Error, Sendable, Equatable, CustomStringConvertible {
    public var path: String
    public var problem: String
    public var fix: String?

    public init(path: String, problem: String, fix: String?) {
        self.path = path
        self.problem = problem
        self.fix = fix
    }

    public var description: String {
        let location = path.isEmpty ? "" : "at \(path): "
        return location + problem + (fix.map { ". " + $0 } ?? "")
    }
}

/// All patterns compiled together; matches a `FlatEvent` against every
/// pattern at once.
public struct PatternMatcher: Sendable {
    /// Every field path that some pattern reads, sorted. A `FlatEvent` leaf's
    /// `pathID` is an index into this array.
    public let fieldPaths: [FieldPath]

    public init(_ patterns: [Pattern]) {
        self.fieldPaths = []
    }

    /// Appends to `result` the indices (in the order given to `init`) of the
    /// patterns that `event` matches, in ascending order.
    public func matchingPatterns(in event: FlatEvent, into result: inout [Int]) {}
}

extension FlatEvent {
    /// Flattens a parsed event, keeping the leaves at `fieldPaths`.
    public init(_ value: JSONValue, fieldPaths: [FieldPath]) {
        self.init()
    }
}
