/// A hash table from (path ID, exact string value) to the conditions that
/// list that value, so that one lookup per event leaf finds every exact-value
/// condition the leaf satisfies, among thousands.
///
/// The table stores each distinct (path, value) once with the list of
/// targets (condition IDs) that list it. Values and target lists live in
/// flat arrays, and lookups hash the leaf's bytes in place, so matching
/// allocates nothing here.
///
/// For the conditions `eventName in ["StopLogging", "DeleteTrail"]` (0) and
/// `eventName in ["DeleteTrail"]` (1), the table contains
/// `(eventName, "StopLogging") -> [0]` and `(eventName, "DeleteTrail") -> [0, 1]`.
struct ExactValueIndex: Sendable {
    private struct Entry: Sendable {
        var hash: UInt64
        var pathID: Int32
        var valueStart: Int32
        var valueCount: Int32
        var targetStart: Int32
        var targetCount: Int32
    }

    /// Open addressing with linear probing; -1 marks an empty slot.
    private var slots: [Int32]
    private var entries: [Entry] = []
    private var values: [UInt8] = []
    private var targets: [Int32] = []
    /// The path IDs that some key uses, ascending.
    private(set) var keyPaths: [Int] = []

    var isEmpty: Bool { entries.isEmpty }

    /// Builds the table from (path ID, value, target) keys.
    init(keys: [(pathID: Int, value: [UInt8], target: Int32)]) {
        var grouped: [PathValue: [Int32]] = [:]
        for key in keys {
            grouped[PathValue(pathID: key.pathID, value: key.value), default: []].append(key.target)
        }

        var capacity = 16
        while capacity < grouped.count * 2 { capacity *= 2 }
        slots = Array(repeating: -1, count: capacity)

        let ordered = grouped.sorted { lhs, rhs in
            lhs.key.pathID != rhs.key.pathID
                ? lhs.key.pathID < rhs.key.pathID : lhs.key.value.lexicographicallyPrecedes(rhs.key.value)
        }
        for (key, targetIDs) in ordered {
            let hash = key.value.withUnsafeBufferPointer { Self.hash(pathID: key.pathID, bytes: $0) }
            let entry = Entry(
                hash: hash, pathID: Int32(key.pathID), valueStart: Int32(values.count), valueCount: Int32(key.value.count),
                targetStart: Int32(targets.count), targetCount: Int32(targetIDs.count))
            values.append(contentsOf: key.value)
            targets.append(contentsOf: Set(targetIDs).sorted())
            var slot = Int(truncatingIfNeeded: hash) & (capacity - 1)
            while slots[slot] >= 0 { slot = (slot + 1) & (capacity - 1) }
            slots[slot] = Int32(entries.count)
            entries.append(entry)
        }
        keyPaths = Set(grouped.keys.map(\.pathID)).sorted()
    }

    /// Returns the positions of the targets listed for `bytes` at `pathID`,
    /// for `target(at:)`, or an empty range. It returns positions rather
    /// than a slice, so a lookup retains nothing.
    func targets(pathID: Int, bytes: UnsafeBufferPointer<UInt8>) -> Range<Int> {
        let hash = Self.hash(pathID: pathID, bytes: bytes)
        let mask = slots.count - 1
        var slot = Int(truncatingIfNeeded: hash) & mask
        while true {
            let entryIndex = slots[slot]
            if entryIndex < 0 { return 0..<0 }
            let entry = entries[Int(entryIndex)]
            if entry.hash == hash && entry.pathID == Int32(pathID) && Int(entry.valueCount) == bytes.count
                && (bytes.isEmpty || values.withUnsafeBufferPointer {
                    ByteStrings.equal($0.baseAddress! + Int(entry.valueStart), bytes.baseAddress!, count: bytes.count)
                })
            {
                return Int(entry.targetStart)..<Int(entry.targetStart + entry.targetCount)
            }
            slot = (slot + 1) & mask
        }
    }

    /// Returns the target at `position` of a range from `targets(pathID:bytes:)`.
    @inline(__always)
    func target(at position: Int) -> Int32 { targets[position] }

    /// Hashes the path ID and the value bytes.
    @inline(__always)
    private static func hash(pathID: Int, bytes: UnsafeBufferPointer<UInt8>) -> UInt64 {
        ByteStrings.hash(bytes, seed: (UInt64(truncatingIfNeeded: pathID) &+ 0x9e37_79b9_7f4a_7c15) &* 0xbf58_476d_1ce4_e5b9)
    }

    private struct PathValue: Hashable {
        var pathID: Int
        var value: [UInt8]
    }
}
