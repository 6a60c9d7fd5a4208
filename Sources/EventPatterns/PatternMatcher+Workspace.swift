extension PatternMatcher {
    /// Scratch storage for matching, reused from one event to the next so
    /// that matching allocates only while the buffers grow.
    ///
    /// A workspace may be used with any matcher, but by one caller at a time.
    public struct Workspace: Sendable {
        /// `pathLeaves[pathStart[id]..<pathStart[id + 1]]` are the indices of
        /// the event's leaves with path ID `id`, in document order.
        private var pathStart: [Int32] = []
        private var pathLeaves: [Int32] = []
        private var fillCursor: [Int32] = []

        /// The element index each array is bound to, or -1, by array ID.
        private var binding: [Int32] = []
        /// The array IDs bound so far, in order, so a failed pick can be undone.
        private var boundArrays: [Int32] = []

        /// The leaves passing the conditions evaluated so far in the current
        /// event; `candidateRanges` contains the ranges of the current branch's
        /// conditions, indexed like the branch's conditions.
        var candidates: [Int32] = []
        private var candidateRanges: [Range<Int>] = []
        /// For each condition, the array that is outermost on every candidate's
        /// trail when candidates are sorted by their index in it, or -1. A
        /// bound outer array then narrows the candidates by binary search.
        private var candidateOuterArray: [Int32] = []
        /// The conditions of the current branch in search order.
        private var searchOrder: [Int] = []

        /// The branches whose key value occurs in the current event: a branch
        /// is a candidate when `branchMark[id] == generation`.
        var branchMark: [UInt32] = []
        var candidateBranches: [Int32] = []
        /// Patterns already matched by the current event, stamped like `branchMark`.
        var patternMark: [UInt32] = []
        var generation: UInt32 = 0
        /// The passing leaves of each shared condition in the current event,
        /// valid when `conditionMark[id] == generation`.
        var conditionMark: [UInt32] = []
        /// Exact-only conditions some leaf of the current event satisfies,
        /// stamped like `branchMark`.
        var satisfiedMark: [UInt32] = []
        var conditionRange: [Range<Int>] = []
        var conditionOuterArray: [Int32] = []

        public init() {}

        /// Groups the leaves of `event` by path ID and sizes the binding table.
        /// Runs once per event, on buffers that keep their size from one
        /// event to the next.
        mutating func index(_ event: FlatEvent, pathCount: Int) {
            if pathStart.count != pathCount + 1 {
                pathStart = Array(repeating: 0, count: pathCount + 1)
                fillCursor = pathStart
            }
            if pathLeaves.count < event.leaves.count {
                pathLeaves = Array(repeating: 0, count: max(event.leaves.count, 2 * pathLeaves.count))
            }
            event.leaves.withUnsafeBufferPointer { leaves in
                pathStart.withUnsafeMutableBufferPointer { starts in
                    starts.update(repeating: 0)
                    for leaf in leaves where leaf.pathID >= 0 && Int(leaf.pathID) < pathCount {
                        starts[Int(leaf.pathID) + 1] += 1
                    }
                    for id in 0..<pathCount {
                        starts[id + 1] += starts[id]
                    }
                    fillCursor.withUnsafeMutableBufferPointer { cursor in
                        _ = cursor.update(fromContentsOf: starts)
                        pathLeaves.withUnsafeMutableBufferPointer { grouped in
                            for (leafIndex, leaf) in leaves.enumerated() where leaf.pathID >= 0 && Int(leaf.pathID) < pathCount {
                                let path = Int(leaf.pathID)
                                grouped[Int(cursor[path])] = Int32(leafIndex)
                                cursor[path] += 1
                            }
                        }
                    }
                }
            }

            var arrayCount = 0
            for position in event.positions where Int(position.arrayID) >= arrayCount {
                arrayCount = Int(position.arrayID) + 1
            }
            if binding.count < arrayCount {
                binding.append(contentsOf: repeatElement(-1, count: arrayCount - binding.count))
            }
        }

        /// Returns the slots of `pathLeaves` that hold the leaves with path
        /// ID `pathID`, for `leafIndex(atSlot:)`. Valid after `index(_:pathCount:)`.
        @inline(__always)
        func leafSlots(ofPath pathID: Int) -> Range<Int> {
            Int(pathStart[pathID])..<Int(pathStart[pathID + 1])
        }

        @inline(__always)
        func leafIndex(atSlot slot: Int) -> Int32 { pathLeaves[slot] }

        /// Reports whether the indexed event satisfies every condition of
        /// `branch` with consistent array bindings. `view` is the event's storage.
        mutating func evaluate(_ branch: MatchTables.Branch, tables: MatchTables, in view: FlatEvent.View, event: FlatEvent) -> Bool {
            let conditions = UnsafeBufferPointer(rebasing: tables.conditions[branch.conditionRange])
            guard collectCandidates(conditions, tables: tables, in: view, event: event) else { return false }
            orderSearch(conditions)
            let isSatisfied = satisfy(step: 0, conditions: conditions, in: view)
            unbind(downTo: 0)
            return isSatisfied
        }

        /// Sets `candidateRanges` to the passing leaves of each condition of
        /// `branch`. Returns false as soon as a condition that needs a leaf
        /// has none.
        ///
        /// Conditions are shared between branches (the same condition ID for
        /// the same path, tests and absence flag), and the passing leaves of
        /// each condition are computed once per event: `candidates` keeps them
        /// for the whole event, and `conditionMark` marks which are current.
        private mutating func collectCandidates(
            _ conditions: UnsafeBufferPointer<MatchTables.Condition>, tables: MatchTables, in view: FlatEvent.View,
            event: FlatEvent
        ) -> Bool {
            candidateRanges.removeAll(keepingCapacity: true)
            candidateOuterArray.removeAll(keepingCapacity: true)
            for condition in conditions {
                let id = Int(condition.id)
                if conditionMark[id] != generation {
                    let start = candidates.count
                    let pathID = Int(condition.pathID)
                    for slot in Int(pathStart[pathID])..<Int(pathStart[pathID + 1]) {
                        let leafIndex = pathLeaves[slot]
                        if tables.passes(condition, view.leaves[Int(leafIndex)], in: view, event: event) {
                            candidates.append(leafIndex)
                        }
                    }
                    conditionMark[id] = generation
                    conditionRange[id] = start..<candidates.count
                    conditionOuterArray[id] = sortedOuterArray(of: start..<candidates.count, in: view)
                }
                let range = conditionRange[id]
                if range.isEmpty && !condition.acceptsAbsence { return false }
                candidateRanges.append(range)
                candidateOuterArray.append(conditionOuterArray[id])
            }
            return true
        }

        /// Returns the array that starts every candidate's trail in `range`, provided
        /// the candidates are in ascending order of their index in it.
        private func sortedOuterArray(of range: Range<Int>, in view: FlatEvent.View) -> Int32 {
            var outerArray: Int32 = -1
            var previousIndex: Int32 = -1
            for slot in range {
                guard let outer = view.arrayPositions(of: view.leaves[Int(candidates[slot])]).first else { return -1 }
                if outerArray < 0 { outerArray = outer.arrayID }
                guard outer.arrayID == outerArray, outer.index >= previousIndex else { return -1 }
                previousIndex = outer.index
            }
            return outerArray
        }

        /// Returns the candidates of a condition that can be consistent with the
        /// binding of their shared outer array, found by binary search.
        private func reachableCandidates(of conditionIndex: Int, in view: FlatEvent.View) -> Range<Int> {
            let range = candidateRanges[conditionIndex]
            let outerArray = candidateOuterArray[conditionIndex]
            guard outerArray >= 0, binding[Int(outerArray)] >= 0 else { return range }

            let boundIndex = binding[Int(outerArray)]
            let outerIndex = { (slot: Int) -> Int32 in
                view.positions[Int(view.leaves[Int(self.candidates[slot])].positionStart)].index
            }
            let lower = partitionPoint(range) { outerIndex($0) >= boundIndex }
            let upper = partitionPoint(lower..<range.upperBound) { outerIndex($0) > boundIndex }
            return lower..<upper
        }

        /// Returns the first slot in `range` where `isAtOrAfter` becomes true, given
        /// that it is false and then true across the range.
        private func partitionPoint(_ range: Range<Int>, _ isAtOrAfter: (Int) -> Bool) -> Int {
            var low = range.lowerBound
            var high = range.upperBound
            while low < high {
                let middle = low + (high - low) / 2
                if isAtOrAfter(middle) { high = middle } else { low = middle + 1 }
            }
            return low
        }

        /// Orders the search: conditions that need a leaf, fewest candidates
        /// first, then the conditions that accept absence.
        private mutating func orderSearch(_ conditions: UnsafeBufferPointer<MatchTables.Condition>) {
            searchOrder.removeAll(keepingCapacity: true)
            searchOrder.append(contentsOf: conditions.indices)
            let ranges = candidateRanges
            searchOrder.sort { left, right in
                let leftKey = (conditions[left].acceptsAbsence ? 1 : 0, ranges[left].count, left)
                let rightKey = (conditions[right].acceptsAbsence ? 1 : 0, ranges[right].count, right)
                return leftKey < rightKey
            }
        }

        /// Depth-first search for one consistent candidate per condition,
        /// starting at `searchOrder[step]`.
        private mutating func satisfy(
            step: Int, conditions: UnsafeBufferPointer<MatchTables.Condition>, in view: FlatEvent.View
        ) -> Bool {
            guard step < searchOrder.count else { return true }
            let conditionIndex = searchOrder[step]
            let condition = conditions[conditionIndex]

            for slot in reachableCandidates(of: conditionIndex, in: view) {
                let leaf = view.leaves[Int(candidates[slot])]
                guard isConsistent(leaf, in: view) else { continue }
                let mark = boundArrays.count
                bind(leaf, in: view)
                if satisfy(step: step + 1, conditions: conditions, in: view) { return true }
                unbind(downTo: mark)
            }

            if condition.acceptsAbsence && !hasConsistentLeaf(pathID: Int(condition.pathID), in: view) {
                return satisfy(step: step + 1, conditions: conditions, in: view)
            }
            return false
        }

        private func hasConsistentLeaf(pathID: Int, in view: FlatEvent.View) -> Bool {
            for slot in Int(pathStart[pathID])..<Int(pathStart[pathID + 1]) {
                if isConsistent(view.leaves[Int(pathLeaves[slot])], in: view) { return true }
            }
            return false
        }

        private func isConsistent(_ leaf: FlatEvent.Leaf, in view: FlatEvent.View) -> Bool {
            for position in view.arrayPositions(of: leaf) {
                let bound = binding[Int(position.arrayID)]
                if bound >= 0 && bound != position.index { return false }
            }
            return true
        }

        private mutating func bind(_ leaf: FlatEvent.Leaf, in view: FlatEvent.View) {
            for position in view.arrayPositions(of: leaf) where binding[Int(position.arrayID)] < 0 {
                binding[Int(position.arrayID)] = position.index
                boundArrays.append(position.arrayID)
            }
        }

        private mutating func unbind(downTo mark: Int) {
            while boundArrays.count > mark {
                binding[Int(boundArrays.removeLast())] = -1
            }
        }
    }
}
