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

    /// Every branch of every pattern. A branch ID is an index into this
    /// array and into `branchPatterns`, the pattern each branch belongs to.
    let branches: [CompiledBranch]
    /// `branches` in flat buffers, for matching.
    let tables: MatchTables
    let branchPatterns: [Int32]
    let conditionCount: Int
    /// Branches with no condition made only of exact strings: evaluated for every event.
    let unkeyedBranches: [Int32]
    /// Every exact-only condition (plain strings, a leaf required), by the values it lists.
    let index: ExactValueIndex
    /// `keyedBranches[keyedStart[id]..<keyedStart[id + 1]]` are the branches
    /// keyed by condition `id`: candidates whenever that condition is satisfied.
    let keyedStart: [Int32]
    let keyedBranches: [Int32]
    let patternCount: Int

    public init(_ patterns: [Pattern]) {
        let paths = patterns.reduce(into: Set<FieldPath>()) { $0.formUnion($1.fieldPaths) }.sorted()
        var pathIDs: [FieldPath: Int] = [:]
        for (index, path) in paths.enumerated() {
            pathIDs[path] = index
        }

        var branches: [CompiledBranch] = []
        var branchPatterns: [Int32] = []
        var conditionIDs: [ConditionKey: Int32] = [:]
        for (patternIndex, pattern) in patterns.enumerated() {
            for branch in pattern.branches {
                branches.append(CompiledBranch(branch, pathIDs: pathIDs, conditionIDs: &conditionIDs))
                branchPatterns.append(Int32(patternIndex))
            }
        }

        // How many branches share each condition: a rarely shared condition
        // makes a selective key.
        var sharing = Array(repeating: 0, count: conditionIDs.count)
        for branch in branches {
            for condition in branch.conditions { sharing[Int(condition.id)] += 1 }
        }

        var unkeyed: [Int32] = []
        var keys: [(pathID: Int, value: [UInt8], target: Int32)] = []
        var indexedConditions: Set<Int32> = []
        var branchesByKey: [Int32: [Int32]] = [:]
        for (branchID, branch) in branches.enumerated() {
            for condition in branch.conditions where condition.isExactOnly {
                guard indexedConditions.insert(condition.id).inserted else { continue }
                for case .string(let value) in condition.tests {
                    keys.append((condition.pathID, value, condition.id))
                }
            }
            guard let key = branch.keyCondition(sharing: sharing) else {
                unkeyed.append(Int32(branchID))
                continue
            }
            branchesByKey[key.id, default: []].append(Int32(branchID))
        }

        var keyedStart: [Int32] = [0]
        var keyedBranches: [Int32] = []
        for id in 0..<Int32(conditionIDs.count) {
            keyedBranches.append(contentsOf: branchesByKey[id] ?? [])
            keyedStart.append(Int32(keyedBranches.count))
        }

        self.fieldPaths = paths
        self.branches = branches
        self.tables = MatchTables(branches)
        self.branchPatterns = branchPatterns
        self.conditionCount = conditionIDs.count
        self.unkeyedBranches = unkeyed
        self.index = ExactValueIndex(keys: keys)
        self.keyedStart = keyedStart
        self.keyedBranches = keyedBranches
        self.patternCount = patterns.count
    }

    /// A one-line description of the compiled form, for benchmarks and logs.
    public var summary: String {
        "\(patternCount) patterns, \(branches.count) branches (\(unkeyedBranches.count) unkeyed), "
            + "\(keyedStart.count - 1) distinct conditions, \(fieldPaths.count) field paths"
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
        workspace.startEvent(branchCount: branches.count, patternCount: patternCount, conditionCount: conditionCount)

        let firstResult = result.count
        event.withView { view in
            // This loop runs for every string leaf at a key path of every
            // event, so it works with ranges, positions and buffers, which
            // retain nothing.
            for pathID in index.keyPaths {
                for leafSlot in workspace.leafSlots(ofPath: pathID) {
                    let leaf = view.leaves[Int(workspace.leafIndex(atSlot: leafSlot))]
                    guard leaf.kind == .string else { continue }
                    for position in index.targets(pathID: pathID, bytes: view.stringBytes(of: leaf)) {
                        let conditionID = index.target(at: position)
                        guard workspace.markSatisfied(conditionID) else { continue }
                        for slot in Int(keyedStart[Int(conditionID)])..<Int(keyedStart[Int(conditionID) + 1]) {
                            workspace.markCandidate(keyedBranches[slot])
                        }
                    }
                }
            }

            for branchID in unkeyedBranches {
                evaluate(branchID, view: view, event: event, into: &result, using: &workspace)
            }
            for slot in workspace.candidateBranches.indices {
                evaluate(workspace.candidateBranches[slot], view: view, event: event, into: &result, using: &workspace)
            }
        }
        result[firstResult...].sort()
    }

    private func evaluate(
        _ branchID: Int32, view: FlatEvent.View, event: FlatEvent, into result: inout [Int], using workspace: inout Workspace
    ) {
        let pattern = branchPatterns[Int(branchID)]
        guard !workspace.hasMatched(pattern: pattern) else { return }
        let branch = tables.branches[Int(branchID)]
        // An exact-only condition that no leaf satisfied rejects the branch
        // before the full evaluation.
        for slot in Int(branch.exactStart)..<Int(branch.exactStart + branch.exactCount)
        where !workspace.isSatisfied(tables.exactConditionIDs[slot]) {
            return
        }
        guard workspace.evaluate(branch, tables: tables, in: view, event: event) else { return }
        workspace.markMatched(pattern: pattern)
        result.append(Int(pattern))
    }
}

extension PatternMatcher.Workspace {
    /// Clears the candidate and matched marks for a new event.
    mutating func startEvent(branchCount: Int, patternCount: Int, conditionCount: Int) {
        if branchMark.count < branchCount { branchMark.append(contentsOf: repeatElement(0, count: branchCount - branchMark.count)) }
        if patternMark.count < patternCount {
            patternMark.append(contentsOf: repeatElement(0, count: patternCount - patternMark.count))
        }
        if conditionMark.count < conditionCount {
            let missing = conditionCount - conditionMark.count
            conditionMark.append(contentsOf: repeatElement(0, count: missing))
            satisfiedMark.append(contentsOf: repeatElement(0, count: missing))
            conditionRange.append(contentsOf: repeatElement(0..<0, count: missing))
            conditionOuterArray.append(contentsOf: repeatElement(-1, count: missing))
        }
        generation &+= 1
        if generation == 0 {
            // The counter wrapped: old marks could equal the new generation.
            for index in branchMark.indices { branchMark[index] = 0 }
            for index in patternMark.indices { patternMark[index] = 0 }
            for index in conditionMark.indices { conditionMark[index] = 0 }
            for index in satisfiedMark.indices { satisfiedMark[index] = 0 }
            generation = 1
        }
        candidateBranches.removeAll(keepingCapacity: true)
        candidates.removeAll(keepingCapacity: true)
    }

    /// Marks an exact-only condition as satisfied by some leaf of the event;
    /// returns false when it already was.
    mutating func markSatisfied(_ conditionID: Int32) -> Bool {
        guard satisfiedMark[Int(conditionID)] != generation else { return false }
        satisfiedMark[Int(conditionID)] = generation
        return true
    }

    func isSatisfied(_ conditionID: Int32) -> Bool { satisfiedMark[Int(conditionID)] == generation }

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
    /// The IDs of the exact-only conditions, checked against the index's
    /// marks before a full evaluation.
    var exactConditionIDs: [Int32]

    /// Compiles `branch`, giving each distinct condition (path, tests and
    /// absence flag) one ID across all branches in `conditionIDs`.
    init(_ branch: PatternBranch, pathIDs: [FieldPath: Int], conditionIDs: inout [ConditionKey: Int32]) {
        let compiled = branch.conditions.map { condition in
            let pathID = pathIDs[condition.path]!
            let key = ConditionKey(pathID: pathID, tests: condition.tests, acceptsAbsence: condition.acceptsAbsence)
            let id: Int32
            if let existing = conditionIDs[key] {
                id = existing
            } else {
                id = Int32(conditionIDs.count)
                conditionIDs[key] = id
            }
            return CompiledCondition(id: id, pathID: pathID, tests: condition.tests, acceptsAbsence: condition.acceptsAbsence)
        }
        conditions = compiled.enumerated()
            .sorted { ($0.element.rank, $0.offset) < ($1.element.rank, $1.offset) }
            .map(\.element)
        exactConditionIDs = conditions.filter(\.isExactOnly).map(\.id)
    }
}

extension CompiledBranch {
    /// The condition that keys this branch in the exact-value index: one that
    /// needs a leaf and lists only plain strings. Among several, the one that
    /// the fewest branches share (`sharing[id]`), then the one listing the
    /// fewest values: a `detail.eventName` condition unique to a rule finds
    /// far fewer candidates than a `source` or identity-type condition that
    /// hundreds of rules repeat.
    func keyCondition(sharing: [Int]) -> CompiledCondition? {
        conditions.filter(\.isExactOnly).min { lhs, rhs in
            (sharing[Int(lhs.id)], lhs.tests.count, lhs.id) < (sharing[Int(rhs.id)], rhs.tests.count, rhs.id)
        }
    }
}

/// The identity of a condition, for sharing its per-event result between branches.
struct ConditionKey: Hashable {
    var pathID: Int
    var tests: [ValueTest]
    var acceptsAbsence: Bool
}

/// One field condition of a compiled branch.
struct CompiledCondition: Sendable {
    /// The same for every condition with equal path, tests and absence flag.
    var id: Int32
    var pathID: Int
    var tests: [ValueTest]
    var acceptsAbsence: Bool

    /// Whether the condition needs a leaf and lists only plain strings, so
    /// the exact-value index can tell if an event satisfies it.
    var isExactOnly: Bool {
        !acceptsAbsence && !tests.isEmpty && tests.allSatisfy { if case .string = $0 { true } else { false } }
    }

    /// The evaluation order: the most expensive test decides, and a condition
    /// that accepts absence goes last, after the bindings it is judged in.
    var rank: Int {
        (acceptsAbsence ? 10 : 0) + (tests.map(\.rank).max() ?? 0)
    }
}
