import EventPatterns
import Testing

@Suite("ByteStrings")
struct ByteStringsTests {
    /// Bytes 1, 2, 3, ... so that no two positions hold the same value.
    private static func bytes(_ count: Int) -> [UInt8] {
        (0..<count).map { UInt8(truncatingIfNeeded: $0 + 1) }
    }

    @Test("equal bytes compare equal", arguments: 0...40)
    func equalBytes(count: Int) {
        // One spare byte that differs, so that each buffer has an address
        // and a read past `count` would be seen.
        let left = Self.bytes(count) + [0xAA]
        let right = Self.bytes(count) + [0x55]
        let isEqual = left.withUnsafeBytes { l in
            right.withUnsafeBytes { r in ByteStrings.equal(l.baseAddress!, r.baseAddress!, count: count) }
        }
        #expect(isEqual)
    }

    @Test("any changed byte compares unequal", arguments: 1...40)
    func changedByte(count: Int) {
        let left = Self.bytes(count)
        for position in 0..<count {
            var right = left
            right[position] ^= 0x80
            let isEqual = left.withUnsafeBytes { l in
                right.withUnsafeBytes { r in ByteStrings.equal(l.baseAddress!, r.baseAddress!, count: count) }
            }
            #expect(!isEqual, "byte \(position) of \(count)")
        }
    }

    @Test("hash depends on every byte and the length", arguments: 1...40)
    func hashCoversEveryByte(count: Int) {
        let original = Self.bytes(count)
        let hash = original.withUnsafeBufferPointer { ByteStrings.hash($0, seed: 7) }
        #expect(hash == original.withUnsafeBufferPointer { ByteStrings.hash($0, seed: 7) })
        for position in 0..<count {
            var changed = original
            changed[position] ^= 0x80
            #expect(changed.withUnsafeBufferPointer { ByteStrings.hash($0, seed: 7) } != hash, "byte \(position) of \(count)")
        }
        let shorter = Array(original.dropLast())
        #expect(shorter.withUnsafeBufferPointer { ByteStrings.hash($0, seed: 7) } != hash)
    }
}
