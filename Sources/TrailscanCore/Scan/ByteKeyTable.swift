import EventPatterns

/// An open-addressing set of (tag, bytes) keys that numbers each key in the
/// order it was first inserted. Keys are copied into one byte pool, so a
/// lookup allocates nothing. It hashes and compares the bytes
/// eight at a time (`ByteStrings`).
///
/// Each key carries two values for its caller, kept beside the key's place
/// in the pool: a number (`attachment`) and the smallest time noted for it
/// (`earliest`). A probe that found its key has that cache line already, so
/// reading them costs no further miss.
struct ByteKeyTable {
    /// A key's place in `pool`, its tag and its two values. They share one
    /// array, so a probe that finds its slot reads one more cache line, not three.
    private struct Entry {
        var start: Int32
        var length: Int32
        var tag: Int32
        var attachment: Int32 = -1
        var earliest: Int64 = .max
    }

    private var entries: [Entry] = []
    private var pool: [UInt8] = []
    /// Per hash position: the key's number + 1 in the low 32 bits (0 for an
    /// empty slot) and the high 32 bits of its hash, so most probes that
    /// miss are rejected without reading the entry.
    private var slots = [UInt64](repeating: 0, count: 256)

    /// How many keys the table holds.
    var count: Int { entries.count }

    /// Returns the number attached to key `number`, or -1 before `attach`.
    func attachment(of number: Int) -> Int32 { entries[number].attachment }

    mutating func attach(_ value: Int32, to number: Int) { entries[number].attachment = value }

    /// Notes `time` for key `number` and returns whether it is at or before
    /// every time noted for that key before. A new key returns true.
    @inline(__always)
    mutating func lower(_ number: Int, to time: Int64) -> Bool {
        if time > entries[number].earliest { return false }
        entries[number].earliest = time
        return true
    }

    /// Returns the number of (tag, bytes), inserting the key when it is new.
    @inline(__always)
    mutating func number(of bytes: UnsafeBufferPointer<UInt8>, tag: Int32) -> (number: Int, isNew: Bool) {
        let hash = ByteStrings.hash(bytes, seed: UInt64(UInt32(bitPattern: tag)) &* 0x9e37_79b9_7f4a_7c15)
        let check = hash & 0xffff_ffff_0000_0000
        let mask = slots.count - 1
        var position = Int(truncatingIfNeeded: hash) & mask
        while true {
            let slot = slots[position]
            if slot == 0 { break }
            if slot & 0xffff_ffff_0000_0000 == check {
                let number = Int(slot & 0xffff_ffff) - 1
                let entry = entries[number]
                if entry.tag == tag && Int(entry.length) == bytes.count
                    && (bytes.isEmpty || pool.withUnsafeBufferPointer { ByteStrings.equal($0.baseAddress! + Int(entry.start), bytes.baseAddress!, count: bytes.count) })
                {
                    return (number, false)
                }
            }
            position = (position + 1) & mask
        }
        let number = entries.count
        entries.append(Entry(start: Int32(pool.count), length: Int32(bytes.count), tag: tag))
        pool.append(contentsOf: bytes)
        slots[position] = check | UInt64(number + 1)
        if entries.count * 2 > slots.count { grow() }
        return (number, true)
    }

    private mutating func grow() {
        let old = slots
        slots = [UInt64](repeating: 0, count: old.count * 2)
        let mask = slots.count - 1
        for slot in old where slot != 0 {
            let number = Int(slot & 0xffff_ffff) - 1
            let entry = entries[number]
            let hash = pool.withUnsafeBufferPointer { pool in
                ByteStrings.hash(
                    UnsafeBufferPointer(start: pool.baseAddress.map { $0 + Int(entry.start) }, count: Int(entry.length)),
                    seed: UInt64(UInt32(bitPattern: entry.tag)) &* 0x9e37_79b9_7f4a_7c15)
            }
            var position = Int(truncatingIfNeeded: hash) & mask
            while slots[position] != 0 { position = (position + 1) & mask }
            slots[position] = slot
        }
    }
}
