import CInflate
import CZlib
import Testing

/// The whole-buffer DEFLATE decoder, checked against zlib.
@Suite("trailscan_inflate")
struct InflateTests {
    struct Decoded: Equatable {
        var status: trailscan_inflate_status
        var used: Int
        var output: [UInt8]
    }

    /// Decodes `compressed` into a buffer of exactly `capacity` bytes.
    static func decode(_ compressed: [UInt8], capacity: Int = 1 << 20) -> Decoded {
        let inflater = trailscan_inflater_create()!
        defer { trailscan_inflater_destroy(inflater) }
        let output = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: max(capacity, 1))
        defer { output.deallocate() }
        var used = 0
        var count = 0
        let status = compressed.withUnsafeBufferPointer { input in
            trailscan_inflate(inflater, input.baseAddress, input.count, &used, output.baseAddress, capacity, &count)
        }
        guard status == TRAILSCAN_INFLATE_OK else { return Decoded(status: status, used: 0, output: []) }
        return Decoded(status: status, used: used, output: Array(output[..<count]))
    }

    /// zlib's raw inflate of `compressed`: the bytes consumed and the
    /// output, or nil when zlib rejects the data or finds it cut short.
    static func zlibDecode(_ compressed: [UInt8]) -> (used: Int, output: [UInt8])? {
        var stream = z_stream()
        guard trailscan_inflateInit2(&stream, -15) == Z_OK else { return nil }
        defer { inflateEnd(&stream) }
        let (status, output) = zlibFinish(&stream, input: compressed, capacity: 1 << 20) { inflate(&$0, Z_FINISH) }
        guard status == Z_STREAM_END else { return nil }
        return (Int(stream.total_in), output)
    }

    /// Raw DEFLATE data for `bytes`, compressed by zlib at `level`.
    static func compress(_ bytes: [UInt8], level: Int32) throws -> [UInt8] {
        try deflated(bytes, level: level, windowBits: -15)
    }

    /// Inputs that reach every kind of block and copy: CloudTrail-like
    /// text, noise, runs of one byte (distance 1) and short periods
    /// (distances 2 to 7), which the word copy must not take.
    static let inputs: [[UInt8]] = [
        [],
        Array("a".utf8),
        Array(String(repeating: #"{"eventName":"AssumeRole","awsRegion":"us-east-1","sourceIPAddress":"203.0.113.9"},"#, count: 900).utf8),
        pseudoRandomBytes(count: 70_000, seed: 5),
        [UInt8](repeating: 0x20, count: 40_000),
        (0..<30_000).map { UInt8(truncatingIfNeeded: $0 % 3) },
        (0..<30_000).map { UInt8(truncatingIfNeeded: $0 % 7 + 65) },
        pseudoRandomBytes(count: 5_000, seed: 11).map { $0 % 4 },
    ]

    @Test("decodes what zlib compressed, at every level", arguments: [0, 1, 6, 9] as [Int32])
    func roundTrip(level: Int32) throws {
        for (index, bytes) in Self.inputs.enumerated() {
            let compressed = try Self.compress(bytes, level: level)
            // Bytes after the stream are not part of it.
            let decoded = Self.decode(compressed + [0xAB, 0xCD])
            let isSame = decoded == Decoded(status: TRAILSCAN_INFLATE_OK, used: compressed.count, output: bytes)
            #expect(isSame, "input \(index): status \(decoded.status.rawValue), \(decoded.output.count) bytes")
        }
    }

    @Test("fixed Huffman and stored blocks")
    func handWrittenBlocks() {
        #expect(Self.decode([0x4B, 0x04, 0x00]) == Decoded(status: TRAILSCAN_INFLATE_OK, used: 3, output: Array("a".utf8)))
        let stored: [UInt8] = [0x01, 0x03, 0x00, 0xFC, 0xFF, 0x61, 0x62, 0x63]
        #expect(Self.decode(stored) == Decoded(status: TRAILSCAN_INFLATE_OK, used: 8, output: Array("abc".utf8)))
    }

    @Test("damaged data is rejected", arguments: [
        // Block type 3 does not exist.
        ([0x07], TRAILSCAN_INFLATE_BAD_DATA),
        // A stored block whose length and its complement disagree.
        ([0x01, 0x03, 0x00, 0xFC, 0xFE, 0x61, 0x62, 0x63], TRAILSCAN_INFLATE_BAD_DATA),
        // A match of distance 1 before any output.
        ([0x03, 0x02, 0x00], TRAILSCAN_INFLATE_BAD_DATA),
        // Streams cut short.
        ([], TRAILSCAN_INFLATE_TRUNCATED),
        ([0x01, 0x03, 0x00, 0xFC, 0xFF, 0x61, 0x62], TRAILSCAN_INFLATE_TRUNCATED),
        ([0x4B, 0x04], TRAILSCAN_INFLATE_TRUNCATED),
    ] as [([UInt8], trailscan_inflate_status)])
    func damaged(compressed: [UInt8], status: trailscan_inflate_status) {
        #expect(Self.decode(compressed).status == status)
        #expect(Self.zlibDecode(compressed) == nil)
    }

    @Test("output capacity is respected to the byte")
    func capacity() throws {
        for (index, bytes) in Self.inputs.enumerated() where !bytes.isEmpty {
            let compressed = try Self.compress(bytes, level: 6)
            let isExact = Self.decode(compressed, capacity: bytes.count).output == bytes
            #expect(isExact, "input \(index)")
            #expect(Self.decode(compressed, capacity: bytes.count - 1).status == TRAILSCAN_INFLATE_NO_ROOM)
        }
    }

    /// Flips, overwrites and cuts bytes of valid streams. For each result,
    /// both decoders must succeed with the same output and length, or both
    /// must fail.
    @Test("agrees with zlib on damaged streams")
    func agreesWithZlib() throws {
        var random = SplitMix64(seed: 42)
        var agreedSuccesses = 0
        var agreedFailures = 0
        for round in 0..<3_000 {
            let source = Self.inputs[2 + round % (Self.inputs.count - 2)]
            let start = Int(random.next() % UInt64(source.count / 2))
            let bytes = Array(source[start..<min(source.count, start + 1 + Int(random.next() % 6_000))])
            var compressed = try Self.compress(bytes, level: Int32(random.next() % 10))
            for _ in 0..<(1 + random.next() % 3) {
                let position = Int(random.next() % UInt64(compressed.count))
                switch random.next() % 3 {
                case 0: compressed[position] ^= 1 << UInt8(random.next() % 8)
                case 1: compressed[position] = UInt8(truncatingIfNeeded: random.next())
                default: compressed.removeSubrange(position...)
                }
                if compressed.isEmpty { break }
            }
            let ours = Self.decode(compressed)
            if let theirs = Self.zlibDecode(compressed) {
                let isSame = ours == Decoded(status: TRAILSCAN_INFLATE_OK, used: theirs.used, output: theirs.output)
                #expect(isSame, "round \(round): status \(ours.status.rawValue)")
                agreedSuccesses += 1
            } else {
                #expect(ours.status != TRAILSCAN_INFLATE_OK, "round \(round)")
                agreedFailures += 1
            }
        }
        // Both outcomes occur often enough for the comparison to mean something.
        #expect(agreedSuccesses > 300)
        #expect(agreedFailures > 300)
    }
}
