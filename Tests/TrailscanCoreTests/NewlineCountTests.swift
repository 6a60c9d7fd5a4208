import Testing

@testable import TrailscanCore

/// `ASCII.newlineCount` counts 64 bytes per step, then 16, then one. These
/// tests compare it with a byte-by-byte count over every length that mixes
/// the three steps, so that a lost lane, a mask shifted into the wrong
/// place or a byte counted twice makes them fail.
@Suite struct NewlineCountTests {
    /// Returns the count that a loop over single bytes gives.
    private static func expected(_ bytes: [UInt8]) -> Int {
        bytes.reduce(0) { $0 + ($1 == 0x0a ? 1 : 0) }
    }

    private static func count(_ bytes: [UInt8]) -> Int {
        bytes.withUnsafeBufferPointer { ASCII.newlineCount(in: $0) }
    }

    @Test func countsANewlineAtEveryPlace() {
        // Bytes next to 0x0a in value, bytes with the high bit set, and zero.
        let others: [UInt8] = [0x09, 0x0b, 0x0d, 0x20, 0x8a, 0xff, 0x00]
        for length in 0...150 {
            for place in 0..<max(length, 1) {
                var bytes = (0..<length).map { others[$0 % others.count] }
                if place < length { bytes[place] = 0x0a }
                #expect(Self.count(bytes) == (place < length ? 1 : 0), "length \(length), newline at \(place)")
            }
        }
    }

    @Test func countsEveryByteWhenAllAreNewlines() {
        for length in [0, 1, 15, 16, 17, 63, 64, 65, 127, 128, 129, 200] {
            #expect(Self.count([UInt8](repeating: 0x0a, count: length)) == length, "length \(length)")
        }
    }

    @Test func matchesAByteLoopOnMixedLines() {
        // A fixed sequence of line lengths from 0 to 300 bytes, so that a failure repeats.
        var random = SplitMix64(seed: 0x1234_5678)
        var bytes: [UInt8] = []
        for _ in 0..<2_000 {
            let length = Int(random.next() % 301)
            bytes += (0..<length).map { _ in UInt8(truncatingIfNeeded: random.next() % 96 + 32) }
            bytes.append(0x0a)
        }
        #expect(Self.expected(bytes) == 2_000)
        #expect(Self.count(bytes) == 2_000)
        for end in [1, 63, 64, 65, 1_000, 4_097, bytes.count - 1] {
            let prefix = Array(bytes[..<end])
            #expect(Self.count(prefix) == Self.expected(prefix), "first \(end) bytes")
        }
    }
}
