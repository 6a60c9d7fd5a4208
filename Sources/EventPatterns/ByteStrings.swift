/// Hashing and comparison of short byte strings, for the hash tables that
/// the scan probes for every record. Both read eight bytes a step and are
/// inlinable, because the keys are short and a call costs more than the work.
public enum ByteStrings {
    /// Returns a hash of `bytes` and `seed`: a multiply and a shift per
    /// eight bytes. The last eight bytes are read in one load that may
    /// overlap the word before. Four to seven bytes are read in two
    /// overlapping four-byte loads, and one to three bytes as the first,
    /// middle and last byte. Empty bytes hash to a function of `seed` alone.
    @inlinable @inline(__always)
    public static func hash(_ bytes: UnsafeBufferPointer<UInt8>, seed: UInt64) -> UInt64 {
        let multiplier: UInt64 = 0xbf58_476d_1ce4_e5b9
        var hash = seed ^ (UInt64(bytes.count) &* 0x94d0_49bb_1331_11eb)
        guard let base = bytes.baseAddress, !bytes.isEmpty else { return hash }
        let raw = UnsafeRawPointer(base)
        let count = bytes.count
        let tail: UInt64
        if count >= 8 {
            var offset = 0
            while offset + 8 < count {
                hash = (hash ^ raw.loadUnaligned(fromByteOffset: offset, as: UInt64.self)) &* multiplier
                hash ^= hash >> 31
                offset += 8
            }
            tail = raw.loadUnaligned(fromByteOffset: count - 8, as: UInt64.self)
        } else if count >= 4 {
            tail = UInt64(raw.loadUnaligned(as: UInt32.self)) << 32
                | UInt64(raw.loadUnaligned(fromByteOffset: count - 4, as: UInt32.self))
        } else {
            tail = UInt64(base[0]) << 16 | UInt64(base[count / 2]) << 8 | UInt64(base[count - 1])
        }
        hash = (hash ^ tail) &* multiplier
        return hash ^ (hash >> 29)
    }

    /// Returns whether the `count` bytes at `left` and `right` are equal.
    /// From eight bytes on, the last word is compared in one load that may
    /// overlap the word before.
    @inlinable @inline(__always)
    public static func equal(_ left: UnsafeRawPointer, _ right: UnsafeRawPointer, count: Int) -> Bool {
        if count >= 8 {
            var offset = 0
            while offset + 8 < count {
                if left.loadUnaligned(fromByteOffset: offset, as: UInt64.self)
                    != right.loadUnaligned(fromByteOffset: offset, as: UInt64.self)
                {
                    return false
                }
                offset += 8
            }
            return left.loadUnaligned(fromByteOffset: count - 8, as: UInt64.self)
                == right.loadUnaligned(fromByteOffset: count - 8, as: UInt64.self)
        }
        if count >= 4 {
            return left.loadUnaligned(as: UInt32.self) == right.loadUnaligned(as: UInt32.self)
                && left.loadUnaligned(fromByteOffset: count - 4, as: UInt32.self)
                    == right.loadUnaligned(fromByteOffset: count - 4, as: UInt32.self)
        }
        var offset = 0
        while offset < count {
            if left.load(fromByteOffset: offset, as: UInt8.self) != right.load(fromByteOffset: offset, as: UInt8.self) {
                return false
            }
            offset += 1
        }
        return true
    }
}
