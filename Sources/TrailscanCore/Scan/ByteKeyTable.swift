/// An open-addressing set of (tag, bytes) keys that numbers each key in the
/// order it was first inserted. Keys are copied into one byte pool, so a
/// lookup allocates nothing; it hashes the bytes eight at a time and
/// compares them word by word.
struct ByteKeyTable {
    private var hashes: [UInt64] = []
    private var tags: [Int32] = []
    private var starts: [Int32] = []
    private var lengths: [Int32] = []
    private var pool: [UInt8] = []
    /// Key numbers by hash position; -1 marks an empty slot.
    private var slots = [Int32](repeating: -1, count: 256)

    /// How many keys the table holds.
    var count: Int { hashes.count }

    /// The number of (tag, bytes), inserting the key when it is new.
    @inline(__always)
    mutating func number(of bytes: UnsafeBufferPointer<UInt8>, tag: Int32) -> (number: Int, isNew: Bool) {
        let hash = Self.hash(bytes, seed: UInt64(UInt32(bitPattern: tag)) &* 0x9e37_79b9_7f4a_7c15)
        let mask = slots.count - 1
        var position = Int(truncatingIfNeeded: hash) & mask
        while true {
            let number = Int(slots[position])
            if number < 0 { break }
            if hashes[number] == hash && tags[number] == tag && Int(lengths[number]) == bytes.count
                && pool.withUnsafeBufferPointer({ Self.equal($0.baseAddress! + Int(starts[number]), bytes) })
            {
                return (number, false)
            }
            position = (position + 1) & mask
        }
        let number = hashes.count
        hashes.append(hash)
        tags.append(tag)
        starts.append(Int32(pool.count))
        lengths.append(Int32(bytes.count))
        pool.append(contentsOf: bytes)
        slots[position] = Int32(number)
        if hashes.count * 2 > slots.count { grow() }
        return (number, true)
    }

    private mutating func grow() {
        slots = [Int32](repeating: -1, count: slots.count * 2)
        let mask = slots.count - 1
        for (number, hash) in hashes.enumerated() {
            var position = Int(truncatingIfNeeded: hash) & mask
            while slots[position] >= 0 { position = (position + 1) & mask }
            slots[position] = Int32(number)
        }
    }

    /// Whether the `bytes.count` bytes at `stored` equal `bytes`.
    @inline(__always)
    private static func equal(_ stored: UnsafePointer<UInt8>, _ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let base = bytes.baseAddress else { return true }
        let left = UnsafeRawPointer(stored)
        let right = UnsafeRawPointer(base)
        var offset = 0
        while offset + 8 <= bytes.count {
            if left.loadUnaligned(fromByteOffset: offset, as: UInt64.self)
                != right.loadUnaligned(fromByteOffset: offset, as: UInt64.self)
            {
                return false
            }
            offset += 8
        }
        while offset < bytes.count {
            if stored[offset] != base[offset] { return false }
            offset += 1
        }
        return true
    }

    /// A multiply-and-shift hash that reads eight bytes a step.
    @inline(__always)
    private static func hash(_ bytes: UnsafeBufferPointer<UInt8>, seed: UInt64) -> UInt64 {
        let multiplier: UInt64 = 0xbf58_476d_1ce4_e5b9
        var hash = seed ^ (UInt64(bytes.count) &* 0x94d0_49bb_1331_11eb)
        guard let base = bytes.baseAddress else { return hash }
        let raw = UnsafeRawPointer(base)
        var offset = 0
        while offset + 8 <= bytes.count {
            hash = (hash ^ raw.loadUnaligned(fromByteOffset: offset, as: UInt64.self)) &* multiplier
            hash ^= hash >> 31
            offset += 8
        }
        var tail: UInt64 = 0
        var shift: UInt64 = 0
        while offset < bytes.count {
            tail |= UInt64(base[offset]) << shift
            shift += 8
            offset += 1
        }
        hash = (hash ^ tail) &* multiplier
        return hash ^ (hash >> 29)
    }
}
