/// The leaf values of one event at the field paths a matcher reads, with the
/// array positions that lead to each leaf.
///
/// A producer (the byte scanner in TrailscanCore, or `FlatEvent.init(_:fieldPaths:)`
/// for a parsed `JSONValue`) walks an event and appends one leaf for every
/// string, number, boolean or null found at a path of interest. Objects are not
/// leaves, and an empty array adds nothing, so `exists` finds exactly the
/// leaves EventBridge finds.
///
/// Array consistency: every array the producer enters gets a fresh `arrayID`
/// (unique within the event), and each leaf records the `(arrayID, index)` of
/// every array element on the way down from the root. Two leaves come from the
/// same array element when they agree on the index of every array they share.
///
/// For `{"a": [{"b": 1, "c": 2}, {"b": 3}]}` with paths `a.b` and `a.c` the
/// leaves are `a.b=1 [(0,0)]`, `a.c=2 [(0,0)]`, `a.b=3 [(0,1)]`.
///
/// The storage is reused between events: `removeAll()` keeps capacity, so a
/// scanner that fills one `FlatEvent` per record allocates only while the
/// buffers grow.
public struct FlatEvent: Sendable {
    /// The JSON type of a leaf value.
    public enum Kind: UInt8, Sendable {
        case string
        case number
        case `true`
        case `false`
        case null
    }

    /// The position of a leaf inside one array: which array, and which element.
    public struct ArrayPosition: Hashable, Sendable {
        public var arrayID: Int32
        public var index: Int32

        public init(arrayID: Int32, index: Int32) {
            self.arrayID = arrayID
            self.index = index
        }
    }

    /// One leaf value. String contents live in `FlatEvent.bytes`, decoded from
    /// JSON escapes; array positions live in `FlatEvent.positions`.
    public struct Leaf: Sendable {
        /// Index into the matcher's `fieldPaths`.
        public var pathID: Int32
        public var kind: Kind
        /// For strings: the range of the decoded UTF-8 contents in `bytes`.
        public var valueStart: Int32
        public var valueCount: Int32
        /// For numbers: the value. NaN for other kinds.
        public var number: Double
        /// The range of this leaf's array positions in `positions`, outermost first.
        public var positionStart: Int32
        public var positionCount: Int32
    }

    public private(set) var leaves: [Leaf] = []
    public private(set) var bytes: [UInt8] = []
    public private(set) var positions: [ArrayPosition] = []

    public init() {}

    /// Removes every leaf but keeps the allocated storage.
    public mutating func removeAll() {
        leaves.removeAll(keepingCapacity: true)
        bytes.removeAll(keepingCapacity: true)
        positions.removeAll(keepingCapacity: true)
    }

    /// Appends a string leaf whose decoded UTF-8 contents are `contents`.
    public mutating func appendString(
        _ contents: UnsafeBufferPointer<UInt8>, pathID: Int, positions trail: UnsafeBufferPointer<ArrayPosition>
    ) {
        let start = bytes.count
        bytes.append(contentsOf: contents)
        appendLeaf(pathID: pathID, kind: .string, valueStart: start, valueCount: contents.count, number: .nan, trail: trail)
    }

    /// Appends a string leaf from a Swift string.
    public mutating func appendString(_ contents: String, pathID: Int, positions trail: UnsafeBufferPointer<ArrayPosition>) {
        let start = bytes.count
        bytes.append(contentsOf: contents.utf8)
        appendLeaf(pathID: pathID, kind: .string, valueStart: start, valueCount: bytes.count - start, number: .nan, trail: trail)
    }

    /// Appends a number leaf. `value` is the number as a `Double` (JSON numbers
    /// are compared by value, so `3`, `3.0` and `300e-2` are the same leaf value).
    public mutating func appendNumber(_ value: Double, pathID: Int, positions trail: UnsafeBufferPointer<ArrayPosition>) {
        appendLeaf(pathID: pathID, kind: .number, valueStart: 0, valueCount: 0, number: value, trail: trail)
    }

    /// Appends a `true`, `false` or `null` leaf.
    public mutating func appendLiteral(_ kind: Kind, pathID: Int, positions trail: UnsafeBufferPointer<ArrayPosition>) {
        precondition(kind != .string && kind != .number, "use appendString or appendNumber")
        appendLeaf(pathID: pathID, kind: kind, valueStart: 0, valueCount: 0, number: .nan, trail: trail)
    }

    /// The decoded UTF-8 contents of a string leaf.
    public func stringBytes(of leaf: Leaf) -> ArraySlice<UInt8> {
        bytes[Int(leaf.valueStart)..<Int(leaf.valueStart + leaf.valueCount)]
    }

    /// The array positions of a leaf, outermost array first.
    public func arrayPositions(of leaf: Leaf) -> ArraySlice<ArrayPosition> {
        positions[Int(leaf.positionStart)..<Int(leaf.positionStart + leaf.positionCount)]
    }

    private mutating func appendLeaf(
        pathID: Int, kind: Kind, valueStart: Int, valueCount: Int, number: Double,
        trail: UnsafeBufferPointer<ArrayPosition>
    ) {
        let positionStart = positions.count
        // Most leaves are outside arrays, and appending an empty trail to
        // the still-empty array would call into its reallocation path.
        if !trail.isEmpty { positions.append(contentsOf: trail) }
        leaves.append(
            Leaf(
                pathID: Int32(pathID), kind: kind,
                valueStart: Int32(valueStart), valueCount: Int32(valueCount),
                number: number,
                positionStart: Int32(positionStart), positionCount: Int32(trail.count)))
    }
}
