// How the matcher works
//
// A compiled pattern is a list of branches (its `$or` alternatives multiplied
// out), and a branch is a list of field conditions that must all hold. A
// condition names one field path (as an index into `fieldPaths`), the leaf
// tests listed for it, and whether `{"exists": false}` is among them.
//
// An event arrives as a `FlatEvent`: leaves in document order, each with its
// path ID and the array positions leading to it. Per event the matcher
//
//  1. groups leaf indices by path ID with a counting sort, so the leaves of one
//     path are a contiguous run of `pathLeaves`, still in document order;
//  2. for each branch, collects the leaves that pass each condition's tests
//     (the candidates), giving up on the branch as soon as a condition without
//     `exists: false` has none. Conditions with exact values run first
//     because they are cheap and reject most events;
//  3. picks one candidate per condition by depth-first search, fewest
//     candidates first and conditions that accept absence last, keeping the
//     picks consistent.
//
// Consistency is EventBridge's array rule: fields under one array of objects
// must come from the same element. A pick binds every array it passes
// through to the element index it took (`binding[arrayID] = index`), and a
// later candidate is consistent when it agrees with every binding it shares.
// A condition that accepts absence is satisfied when no leaf of its path is
// consistent with the bindings so far, so `exists: false` is judged inside the
// element the other fields chose.
//
// Worked example. Pattern `{"d": {"a": ["x"], "b": [{"exists": false}]}}`,
// event `{"d": [{"a": "x", "b": 1}, {"a": "x"}]}`. Array `d` gets ID 0, and the
// leaves are `d.a="x" [(0,0)]`, `d.b=1 [(0,0)]`, `d.a="x" [(0,1)]`.
// Condition `d.a` has two candidates. The first binds array 0 to element 0,
// where `d.b=1` is consistent, so `d.b` is present there and the pick fails.
// The second binds array 0 to element 1, where no `d.b` leaf is consistent, so
// the branch is satisfied and the pattern matches.
//
// When every candidate of a condition starts its trail in the same outer
// array, in document order, a bound outer array narrows them by binary
// search. That keeps two fields under a 10,000-element array of objects near
// linear. NOTE: other shapes (fields under different routes to one array)
// fall back to a scan, which can take time proportional to the product of
// the candidate counts. A compiled state machine shared by all patterns is a
// later step.

/// All patterns compiled together. Matches a `FlatEvent` against every pattern.
public struct PatternMatcher: Sendable {
    /// Every field path that some pattern reads, sorted. A `FlatEvent` leaf's
    /// `pathID` is an index into this array.
    public let fieldPaths: [FieldPath]

    /// The compiled branches of each pattern, in the order given to `init`.
    let patterns: [[CompiledBranch]]

    public init(_ patterns: [Pattern]) {
        let paths = patterns.reduce(into: Set<FieldPath>()) { $0.formUnion($1.fieldPaths) }.sorted()
        var pathIDs: [FieldPath: Int] = [:]
        for (index, path) in paths.enumerated() {
            pathIDs[path] = index
        }

        self.fieldPaths = paths
        self.patterns = patterns.map { pattern in
            pattern.branches.map { CompiledBranch($0, pathIDs: pathIDs) }
        }
    }

    /// Appends to `result` the indices (in the order given to `init`) of the
    /// patterns that `event` matches, in ascending order.
    ///
    /// This allocates scratch storage on every call. A caller that matches
    /// many events should keep a `Workspace` and pass it to
    /// `matchingPatterns(in:into:using:)`.
    public func matchingPatterns(in event: FlatEvent, into result: inout [Int]) {
        var workspace = Workspace()
        matchingPatterns(in: event, into: &result, using: &workspace)
    }

    /// Appends to `result` the indices of the patterns that `event` matches,
    /// in ascending order, using `workspace` for scratch storage so that
    /// matching allocates only while the workspace grows.
    ///
    /// Leaves whose `pathID` is outside `fieldPaths` are ignored.
    public func matchingPatterns(in event: FlatEvent, into result: inout [Int], using workspace: inout Workspace) {
        workspace.index(event, pathCount: fieldPaths.count)
        for (patternIndex, branches) in patterns.enumerated() {
            for branch in branches where workspace.evaluate(branch, in: event) {
                result.append(patternIndex)
                break
            }
        }
    }
}

/// A pattern branch with path IDs in place of paths and its conditions in
/// evaluation order.
struct CompiledBranch: Sendable {
    var conditions: [CompiledCondition]

    init(_ branch: PatternBranch, pathIDs: [FieldPath: Int]) {
        let compiled = branch.conditions.map { condition in
            CompiledCondition(
                pathID: pathIDs[condition.path]!, tests: condition.tests, acceptsAbsence: condition.acceptsAbsence)
        }
        conditions = compiled.enumerated()
            .sorted { ($0.element.rank, $0.offset) < ($1.element.rank, $1.offset) }
            .map(\.element)
    }
}

/// One field condition of a compiled branch.
struct CompiledCondition: Sendable {
    var pathID: Int
    var tests: [ValueTest]
    var acceptsAbsence: Bool

    /// The evaluation order: the most expensive test decides, and a condition
    /// that accepts absence goes last, after the bindings it is judged in.
    var rank: Int {
        (acceptsAbsence ? 10 : 0) + (tests.map(\.rank).max() ?? 0)
    }
}
