import Testing

@testable import TrailscanCore

/// `ASCII.firstStringSpecial` tests 16 bytes per step. These tests compare
/// it with a byte-by-byte search at every start, end and position of the
/// special byte, so that a wrong lane, a missed tail or a result past `end`
/// makes them fail.
@Suite struct StringSpecialTests {
    /// Returns the index that a byte-by-byte search finds.
    private static func expected(_ bytes: [UInt8], from start: Int, to end: Int) -> Int {
        for position in start..<end where bytes[position] == 0x22 || bytes[position] == 0x5c || bytes[position] < 0x20 {
            return position
        }
        return end
    }

    @Test(arguments: [UInt8(ascii: "\""), UInt8(ascii: "\\"), 0x00, 0x1f, 0x0a])
    func findsTheSpecialByteAtEveryPlace(special: UInt8) {
        // 0x20 and 0x7f to 0xff are ordinary bytes. 0x1f is the last control byte.
        let ordinary: [UInt8] = [0x20, 0x21, 0x23, 0x5b, 0x5d, 0x7f, 0x80, 0xe2, 0xff]
        for length in 0...40 {
            for place in 0..<max(length, 1) {
                var bytes = (0..<length).map { ordinary[$0 % ordinary.count] }
                if place < length { bytes[place] = special }
                bytes.withUnsafeBufferPointer { buffer in
                    let base = buffer.baseAddress ?? UnsafePointer(bitPattern: 1)!
                    for start in 0...length {
                        let found = ASCII.firstStringSpecial(in: base, from: start, to: length)
                        #expect(found == Self.expected(bytes, from: start, to: length), "length \(length), special at \(place), start \(start)")
                    }
                }
            }
        }
    }

    @Test func stopsAtEndEvenWhenTheNextByteIsSpecial() {
        // The quote at index 20 is outside 0..<20 and must not be reported.
        let bytes = [UInt8](repeating: UInt8(ascii: "a"), count: 20) + [UInt8(ascii: "\"")]
        bytes.withUnsafeBufferPointer { buffer in
            #expect(ASCII.firstStringSpecial(in: buffer.baseAddress!, from: 0, to: 20) == 20)
            #expect(ASCII.firstStringSpecial(in: buffer.baseAddress!, from: 3, to: 21) == 20)
        }
    }

    @Test func takesTheFirstOfSeveralSpecialBytes() {
        var bytes = [UInt8](repeating: UInt8(ascii: "x"), count: 48)
        bytes[33] = UInt8(ascii: "\"")
        bytes[21] = UInt8(ascii: "\\")
        bytes[40] = 0x01
        bytes.withUnsafeBufferPointer { buffer in
            #expect(ASCII.firstStringSpecial(in: buffer.baseAddress!, from: 0, to: 48) == 21)
            #expect(ASCII.firstStringSpecial(in: buffer.baseAddress!, from: 22, to: 48) == 33)
            #expect(ASCII.firstStringSpecial(in: buffer.baseAddress!, from: 34, to: 48) == 40)
            #expect(ASCII.firstStringSpecial(in: buffer.baseAddress!, from: 41, to: 48) == 48)
        }
    }
}
