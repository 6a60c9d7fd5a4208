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
            let hash = Self.hash(pathID: key.pathID, bytes: key.value[...])
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

    /// The targets listed for `bytes` at `pathID`; empty when none are.
    func targets(pathID: Int, bytes: ArraySlice<UInt8>) -> ArraySlice<Int32> {
        let hash = Self.hash(pathID: pathID, bytes: bytes)
        let mask = slots.count - 1
        var slot = Int(truncatingIfNeeded: hash) & mask
        while true {
            let entryIndex = slots[slot]
            if entryIndex < 0 { return [] }
            let entry = entries[Int(entryIndex)]
            if entry.hash == hash && entry.pathID == Int32(pathID)
                && values[Int(entry.valueStart)..<Int(entry.valueStart + entry.valueCount)].elementsEqual(bytes)
            {
                return targets[Int(entry.targetStart)..<Int(entry.targetStart + entry.targetCount)]
            }
            slot = (slot + 1) & mask
        }
    }

    /// FNV-1a over the path ID and the value bytes.
    private static func hash(pathID: Int, bytes: ArraySlice<UInt8>) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        var id = UInt64(truncatingIfNeeded: pathID)
        for _ in 0..<4 {
            hash = (hash ^ (id & 0xFF)) &* 0x0000_0100_0000_01B3
            id >>= 8
        }
        for byte in bytes {
            hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01B3
        }
        return hash
    }

    private struct PathValue: Hashable {
        var pathID: Int
        var value: [UInt8]
    }
}
