/// The compiled branches, conditions and tests of a `PatternMatcher` in flat
/// buffers of plain values, for the matching loop.
///
/// `CompiledBranch` keeps its conditions in an array, a condition its tests,
/// and a test its bytes. Reading one of them out of its array retains those
/// arrays, and matching reads them for every condition of every candidate
/// branch of every event. Here a branch is a range of `conditions`, a
/// condition a range of `tests`, and a string test a range of `bytes`, so
/// copying any of them is a plain copy of a few integers. The buffers are
/// allocated once by `init` and never change.
final class MatchTables: @unchecked Sendable {
    struct Branch {
        var conditionStart: Int32
        var conditionCount: Int32
        /// The range of the branch's exact-only condition IDs in `exactConditionIDs`.
        var exactStart: Int32
        var exactCount: Int32

        var conditionRange: Range<Int> { Int(conditionStart)..<Int(conditionStart + conditionCount) }
    }

    struct Condition {
        var id: Int32
        var pathID: Int32
        var testStart: Int32
        var testCount: Int32
        var acceptsAbsence: Bool
    }

    /// A `ValueTest` whose byte strings are ranges of `bytes`. The
    /// case-insensitive tests, wildcards and `anything-but` are in
    /// `otherTests` with their payloads: they are rarer, and they lowercase
    /// the value or walk lists anyway.
    enum Test {
        case string(start: Int32, count: Int32)
        case prefix(start: Int32, count: Int32)
        case suffix(start: Int32, count: Int32)
        case ipAddress(IPAddress)
        case number(Double)
        case literal(FlatEvent.Kind)
        case numeric(NumericRange)
        case cidr(CIDRBlock)
        case exists
        case other(Int32)
    }

    let branches: UnsafeMutableBufferPointer<Branch>
    let conditions: UnsafeMutableBufferPointer<Condition>
    let exactConditionIDs: UnsafeMutableBufferPointer<Int32>
    let tests: UnsafeMutableBufferPointer<Test>
    let bytes: UnsafeMutableBufferPointer<UInt8>
    let otherTests: [OtherTest]

    init(_ compiled: [CompiledBranch]) {
        var branches: [Branch] = []
        var conditions: [Condition] = []
        var exactIDs: [Int32] = []
        var tests: [Test] = []
        var bytes: [UInt8] = []
        var otherTests: [OtherTest] = []
        /// Appends `test` to `otherTests` and returns the test that refers to it.
        func other(_ test: OtherTest) -> Test {
            otherTests.append(test)
            return .other(Int32(otherTests.count - 1))
        }

        /// Appends `value` to the byte pool and returns where it starts.
        func pooled(_ value: [UInt8]) -> Int32 {
            defer { bytes.append(contentsOf: value) }
            return Int32(bytes.count)
        }
        for branch in compiled {
            branches.append(Branch(
                conditionStart: Int32(conditions.count), conditionCount: Int32(branch.conditions.count),
                exactStart: Int32(exactIDs.count), exactCount: Int32(branch.exactConditionIDs.count)))
            exactIDs.append(contentsOf: branch.exactConditionIDs)
            for condition in branch.conditions {
                conditions.append(Condition(
                    id: condition.id, pathID: Int32(condition.pathID), testStart: Int32(tests.count),
                    testCount: Int32(condition.tests.count), acceptsAbsence: condition.acceptsAbsence))
                for test in condition.tests {
                    switch test {
                    case .string(let value): tests.append(.string(start: pooled(value), count: Int32(value.count)))
                    case .prefix(let value): tests.append(.prefix(start: pooled(value), count: Int32(value.count)))
                    case .suffix(let value): tests.append(.suffix(start: pooled(value), count: Int32(value.count)))
                    case .ipAddress(let address): tests.append(.ipAddress(address))
                    case .number(let value): tests.append(.number(value))
                    case .literal(let kind): tests.append(.literal(kind))
                    case .numeric(let numericRange): tests.append(.numeric(numericRange))
                    case .cidr(let block): tests.append(.cidr(block))
                    case .exists: tests.append(.exists)
                    case .prefixIgnoringCase(let value): tests.append(other(.prefixIgnoringCase(value)))
                    case .suffixIgnoringCase(let value): tests.append(other(.suffixIgnoringCase(value)))
                    case .equalsIgnoringCase(let value): tests.append(other(.equalsIgnoringCase(value)))
                    case .wildcard(let wildcard): tests.append(other(.wildcard(wildcard)))
                    case .anythingBut(let exclusion): tests.append(other(.anythingBut(exclusion)))
                    }
                }
            }
        }
        self.branches = Self.copy(branches)
        self.conditions = Self.copy(conditions)
        self.exactConditionIDs = Self.copy(exactIDs)
        self.tests = Self.copy(tests)
        self.bytes = Self.copy(bytes)
        self.otherTests = otherTests
    }

    deinit {
        branches.deallocate()
        conditions.deallocate()
        exactConditionIDs.deallocate()
        tests.deallocate()
        bytes.deallocate()
    }

    /// Copies `elements` into a new allocation of at least one element, so
    /// that the returned buffer's base address is never nil, even when the
    /// buffer is empty.
    private static func copy<Element>(_ elements: [Element]) -> UnsafeMutableBufferPointer<Element> {
        let buffer = UnsafeMutableBufferPointer<Element>.allocate(capacity: max(1, elements.count))
        _ = buffer.initialize(fromContentsOf: elements)
        return UnsafeMutableBufferPointer(rebasing: buffer[..<elements.count])
    }

    /// Returns whether `leaf` passes one of the condition's tests.
    @inline(__always)
    func passes(_ condition: Condition, _ leaf: FlatEvent.Leaf, in view: FlatEvent.View, event: FlatEvent) -> Bool {
        for index in Int(condition.testStart)..<Int(condition.testStart + condition.testCount)
        where matches(tests[index], leaf, in: view, event: event) {
            return true
        }
        return false
    }

    /// Returns whether `leaf` passes `test`, as the `ValueTest` it came from would.
    @inline(__always)
    private func matches(_ test: Test, _ leaf: FlatEvent.Leaf, in view: FlatEvent.View, event: FlatEvent) -> Bool {
        switch test {
        case .string(let start, let count):
            return leaf.kind == .string && leaf.valueCount == count
                && equalBytes(view, at: Int(leaf.valueStart), start: start, count: count)
        case .prefix(let start, let count):
            return leaf.kind == .string && leaf.valueCount >= count
                && equalBytes(view, at: Int(leaf.valueStart), start: start, count: count)
        case .suffix(let start, let count):
            return leaf.kind == .string && leaf.valueCount >= count
                && equalBytes(view, at: Int(leaf.valueStart + leaf.valueCount - count), start: start, count: count)
        case .ipAddress(let expected):
            return leaf.kind == .string && IPAddress(view.stringBytes(of: leaf)) == expected
        case .number(let expected):
            return leaf.kind == .number && leaf.number == expected
        case .literal(let kind):
            return leaf.kind == kind
        case .numeric(let range):
            return leaf.kind == .number && range.contains(leaf.number)
        case .cidr(let block):
            guard leaf.kind == .string, let address = IPAddress(view.stringBytes(of: leaf)) else { return false }
            return block.contains(address)
        case .exists:
            return true
        case .other(let index):
            return otherTests[Int(index)].matches(leaf, in: event)
        }
    }

    /// A test that keeps its payload: a lowercased byte string, a wildcard or
    /// an `anything-but` exclusion.
    enum OtherTest {
        case prefixIgnoringCase([UInt8])
        case suffixIgnoringCase([UInt8])
        case equalsIgnoringCase([UInt8])
        case wildcard(Wildcard)
        case anythingBut(Exclusion)

        func matches(_ leaf: FlatEvent.Leaf, in event: FlatEvent) -> Bool {
            switch self {
            case .prefixIgnoringCase(let expected):
                return leaf.kind == .string && CaseFolding.lowercased(event.stringBytes(of: leaf)).starts(with: expected)
            case .suffixIgnoringCase(let expected):
                return leaf.kind == .string && CaseFolding.lowercased(event.stringBytes(of: leaf)).hasSuffix(expected)
            case .equalsIgnoringCase(let expected):
                return leaf.kind == .string && CaseFolding.lowercased(event.stringBytes(of: leaf)).elementsEqual(expected)
            case .wildcard(let wildcard):
                return leaf.kind == .string && wildcard.matches(event.stringBytes(of: leaf))
            case .anythingBut(let exclusion):
                return !exclusion.excludes(leaf, in: event)
            }
        }
    }

    /// Returns whether the event's `count` bytes at `offset` equal the test's bytes at `start`.
    @inline(__always)
    private func equalBytes(_ view: FlatEvent.View, at offset: Int, start: Int32, count: Int32) -> Bool {
        guard count > 0 else { return true }
        return ByteStrings.equal(view.bytes.baseAddress! + offset, bytes.baseAddress! + Int(start), count: Int(count))
    }
}

extension FlatEvent {
    /// The event's leaves, bytes and array positions as buffers, valid
    /// inside `withView(_:)`: reading them retains nothing.
    struct View {
        let leaves: UnsafeBufferPointer<Leaf>
        let bytes: UnsafeBufferPointer<UInt8>
        let positions: UnsafeBufferPointer<ArrayPosition>

        @inline(__always)
        func stringBytes(of leaf: Leaf) -> UnsafeBufferPointer<UInt8> {
            UnsafeBufferPointer(rebasing: bytes[Int(leaf.valueStart)..<Int(leaf.valueStart + leaf.valueCount)])
        }

        /// Returns the array positions of a leaf, outermost array first.
        @inline(__always)
        func arrayPositions(of leaf: Leaf) -> UnsafeBufferPointer<ArrayPosition> {
            UnsafeBufferPointer(rebasing: positions[Int(leaf.positionStart)..<Int(leaf.positionStart + leaf.positionCount)])
        }
    }

    /// Calls `body` with a view of the event's storage.
    func withView<Result>(_ body: (View) -> Result) -> Result {
        leaves.withUnsafeBufferPointer { leaves in
            bytes.withUnsafeBufferPointer { bytes in
                positions.withUnsafeBufferPointer { positions in
                    body(View(leaves: leaves, bytes: bytes, positions: positions))
                }
            }
        }
    }
}
