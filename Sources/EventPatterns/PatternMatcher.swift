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
// the candidate counts.
//
// Sharing work across patterns: most detection patterns name an exact value
// somewhere (an `eventName`, a `source`). Each branch with a condition made
// only of exact strings is keyed by one such condition in `ExactValueIndex`,
// and per event only the branches whose key value occurs among the event's
// leaves are evaluated, with the unkeyed branches. The cost per event is then
// one hash lookup per leaf at a key path plus the few candidate branches,
// whatever the number of patterns.

/// All patterns compiled together. Matches a `FlatEvent` against every pattern.
public struct PatternMatcher: Sendable {
    /// Every field path that some pattern reads, sorted. A `FlatEvent` leaf's
    /// `pathID` is an index into this array.
    public let fieldPaths: [FieldPath]

    /// Every branch of every pattern, with the pattern it belongs to. A
    /// branch ID is an index into this array.
    let branches: [(pattern: Int32, branch: CompiledBranch)]
    /// Branches with no condition made only of exact strings: evaluated for every event.
    let unkeyedBranches: [Int32]
    /// The other branches, found through the values of the event's leaves.
    let index: ExactValueIndex
    let patternCount: Int

    public init(_ patterns: [Pattern]) {
        let paths = patterns.reduce(into: Set<FieldPath>()) { $0.formUnion($1.fieldPaths) }.sorted()
        var pathIDs: [FieldPath: Int] = [:]
        for (index, path) in paths.enumerated() {
            pathIDs[path] = index
        }

        var branches: [(pattern: Int32, branch: CompiledBranch)] = []
        var unkeyed: [Int32] = []
        var keys: [(pathID: Int, value: [UInt8], branch: Int32)] = []
        for (patternIndex, pattern) in patterns.enumerated() {
            for branch in pattern.branches {
                let compiled = CompiledBranch(branch, pathIDs: pathIDs)
                let branchID = Int32(branches.count)
                branches.append((Int32(patternIndex), compiled))
                guard let key = compiled.keyCondition(fieldPaths: paths) else {
                    unkeyed.append(branchID)
                    continue
                }
                for case .string(let value) in key.tests {
                    keys.append((key.pathID, value, branchID))
                }
            }
        }

        self.fieldPaths = paths
        self.branches = branches
        self.unkeyedBranches = unkeyed
        self.index = ExactValueIndex(keys: keys)
        self.patternCount = patterns.count
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
    ///
    /// - Complexity: one hash lookup per string leaf at a key path, plus a
    ///   full evaluation of the unkeyed branches and of the keyed branches
    ///   whose key value occurs in the event.
    public func matchingPatterns(in event: FlatEvent, into result: inout [Int], using workspace: inout Workspace) {
        workspace.index(event, pathCount: fieldPaths.count)
        workspace.startEvent(branchCount: branches.count, patternCount: patternCount)

        for pathID in index.keyPaths {
            for leafIndex in workspace.leafIndices(ofPath: pathID) {
                let leaf = event.leaves[Int(leafIndex)]
                guard leaf.kind == .string else { continue }
                for branchID in index.branches(pathID: pathID, bytes: event.stringBytes(of: leaf)) {
                    workspace.markCandidate(branchID)
                }
            }
        }

        let firstResult = result.count
        for branchID in unkeyedBranches {
            evaluate(branchID, event: event, into: &result, using: &workspace)
        }
        for slot in workspace.candidateBranches.indices {
            evaluate(workspace.candidateBranches[slot], event: event, into: &result, using: &workspace)
        }
        result[firstResult...].sort()
    }

    private func evaluate(_ branchID: Int32, event: FlatEvent, into result: inout [Int], using workspace: inout Workspace) {
        let (pattern, branch) = branches[Int(branchID)]
        guard !workspace.hasMatched(pattern: pattern), workspace.evaluate(branch, in: event) else { return }
        workspace.markMatched(pattern: pattern)
        result.append(Int(pattern))
    }
}

extension PatternMatcher.Workspace {
    /// Clears the candidate and matched marks for a new event.
    mutating func startEvent(branchCount: Int, patternCount: Int) {
        if branchMark.count < branchCount { branchMark.append(contentsOf: repeatElement(0, count: branchCount - branchMark.count)) }
        if patternMark.count < patternCount {
            patternMark.append(contentsOf: repeatElement(0, count: patternCount - patternMark.count))
        }
        generation &+= 1
        if generation == 0 {
            // The counter wrapped: old marks could equal the new generation.
            for index in branchMark.indices { branchMark[index] = 0 }
            for index in patternMark.indices { patternMark[index] = 0 }
            generation = 1
        }
        candidateBranches.removeAll(keepingCapacity: true)
    }

    mutating func markCandidate(_ branchID: Int32) {
        guard branchMark[Int(branchID)] != generation else { return }
        branchMark[Int(branchID)] = generation
        candidateBranches.append(branchID)
    }

    func hasMatched(pattern: Int32) -> Bool { patternMark[Int(pattern)] == generation }

    mutating func markMatched(pattern: Int32) { patternMark[Int(pattern)] = generation }
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

extension CompiledBranch {
    /// The condition that keys this branch in the exact-value index: one that
    /// needs a leaf and lists only plain strings. Among several, the one on
    /// the deepest path (such as `detail.eventName` over `source`), then the
    /// one listing the fewest values, because those are the most selective.
    func keyCondition(fieldPaths: [FieldPath]) -> CompiledCondition? {
        let keyable = conditions.filter { condition in
            !condition.acceptsAbsence && !condition.tests.isEmpty
                && condition.tests.allSatisfy { if case .string = $0 { true } else { false } }
        }
        return keyable.min { lhs, rhs in
            let lhsDepth = fieldPaths[lhs.pathID].components.count
            let rhsDepth = fieldPaths[rhs.pathID].components.count
            return (-lhsDepth, lhs.tests.count) < (-rhsDepth, rhs.tests.count)
        }
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
