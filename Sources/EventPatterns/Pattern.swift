/// A validated EventBridge event pattern.
///
/// Validation rejects what EventBridge rejects, and compilation turns the
/// pattern into `branches`: the `$or` alternatives multiplied out into a list
/// of AND-ed field conditions, as EventBridge does before it counts the
/// combinations.
public struct Pattern: Sendable {
    /// The pattern as written.
    public let source: JSONValue

    /// The `$or` alternatives multiplied out. The pattern matches an event when
    /// any branch does. A pattern without `$or` has exactly one branch.
    let branches: [PatternBranch]

    /// The maximum number of branches that `$or` may expand to. EventBridge
    /// rejects patterns with more than 1000 combinations.
    public static let maximumCombinations = 1000

    /// Validates `json` as an EventBridge pattern.
    /// - Throws: `PatternError` naming the JSON path of the first problem.
    public init(_ json: JSONValue) throws(PatternError) {
        var compiler = PatternCompiler()
        try compiler.compilePattern(json)
        self.source = json
        self.branches = compiler.branches.map(PatternBranch.init)
    }

    /// Parses and validates a pattern from JSON text.
    /// - Throws: `PatternError` with an empty path when the text is not JSON.
    public init(parsing text: String) throws(PatternError) {
        let json: JSONValue
        do {
            json = try JSONValue(parsing: text)
        } catch {
            throw PatternError(path: "", problem: "the pattern is not valid JSON: \(error.description)", fix: nil)
        }
        try self.init(json)
    }

    /// Every field path this pattern reads.
    var fieldPaths: Set<FieldPath> {
        Set(branches.flatMap { $0.conditions.map(\.path) })
    }

    /// Reports whether `event` matches this pattern.
    ///
    /// This builds a one-pattern matcher on every call. To match many events
    /// or many patterns, build a `PatternMatcher` once instead.
    public func matches(_ event: JSONValue) -> Bool {
        let matcher = PatternMatcher([self])
        var result: [Int] = []
        matcher.matchingPatterns(in: FlatEvent(event, fieldPaths: matcher.fieldPaths), into: &result)
        return !result.isEmpty
    }
}

/// One `$or` combination of a pattern: every condition must hold.
struct PatternBranch: Sendable {
    var conditions: [FieldCondition]
}

/// The values listed for one field: the field matches when some leaf passes
/// one of `tests`, or, if `acceptsAbsence` is set, when it has no leaf.
struct FieldCondition: Sendable {
    var path: FieldPath
    var tests: [ValueTest]
    /// Whether `{"exists": false}` is among the alternatives.
    var acceptsAbsence: Bool
}
