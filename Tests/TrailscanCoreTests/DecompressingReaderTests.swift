import CZlib
import Testing

@testable import TrailscanCore

// Serialized: the whole-file budget is shared by all readers, and two of
// these tests fill most of it.
@Suite("DecompressingReader", .serialized)
struct DecompressingReaderTests {
    static let text = Array(#"{"Records":[{"eventName":"AssumeRole"}]}"#.utf8)
    /// Larger than the reader's 256 KiB input buffer, so members cross refills.
    static let large = pseudoRandomBytes(count: 300_000)

    @Test("plain file passes through", arguments: [0, 1, 2, 41, 300_000])
    func plainPassthrough(count: Int) throws {
        let bytes = pseudoRandomBytes(count: count, seed: 7).map { $0 == 0x1F ? 0x20 : $0 }
        let result = try decompressFile(bytes)
        #expect(try result.get() == bytes)
    }

    @Test("single gzip member", arguments: [0, 41, 300_000])
    func singleMember(count: Int) throws {
        let bytes = pseudoRandomBytes(count: count)
        let result = try decompressFile(try gzip(bytes))
        #expect(try result.get() == bytes)
    }

    @Test("a regular gzip file is decoded whole, a damaged one streamed")
    func wholeFileDecoding() throws {
        let single = try gzip(Self.large)
        let cases: [(bytes: [UInt8], isWhole: Bool)] = [
            (single, true),
            // The last trailer's length is too small for both members, so
            // the output buffer grows.
            (try gzipMembers(Self.large, Self.text), true),
            (single + [0, 0, 0], true),
            (Array(single.dropLast()), false),
            (single + [0x41], false),
        ]
        try withTemporaryDirectory { directory in
            for (index, (bytes, isWhole)) in cases.enumerated() {
                let path = try writeFile(bytes, named: "\(index).json.gz", in: directory)
                let reader = try DecompressingReader(path: path)
                _ = try? readAll(reader)
                #expect(reader.wasDecodedWhole == isWhole, "case \(index)")
            }
        }
    }

    @Test("files past the whole-file limits are streamed", arguments: ["input", "output"])
    func pastWholeFileLimits(limit: String) throws {
        // Noise does not compress, so it passes the input limit. Zeros
        // compress about a thousandfold, so they pass only the output limit.
        let bytes = limit == "input"
            ? pseudoRandomBytes(count: DecompressingReader.wholeFileInputLimit + 4096, seed: 3)
            : [UInt8](repeating: 0, count: DecompressingReader.wholeFileOutputLimit + 1)
        let compressed = try gzip(bytes, level: 1)
        try withTemporaryDirectory { directory in
            let path = try writeFile(compressed, named: "large.json.gz", in: directory)
            let reader = try DecompressingReader(path: path)
            #expect(try readsExactly(bytes, from: reader))
            #expect(!reader.wasDecodedWhole)
        }
    }

    @Test("whole-file buffers stay within the budget")
    func wholeFileBudget() throws {
        // Each file decodes to 22 MiB: two fit in the 64 MiB budget, a third does not.
        let bytes = [UInt8](repeating: 0x20, count: 22 << 20)
        let compressed = try gzip(bytes, level: 1)
        try withTemporaryDirectory { directory in
            let path = try writeFile(compressed, named: "large.json.gz", in: directory)
            var decodedFiles: [DecodedFile] = []
            for _ in 0..<2 {
                decodedFiles.append(try #require(try DecompressingReader(path: path).takeWholeOutput()))
            }
            let third = try DecompressingReader(path: path)
            #expect(try third.takeWholeOutput() == nil)
            #expect(try readsExactly(bytes, from: third))
            #expect(!third.wasDecodedWhole)

            decodedFiles.removeAll()
            let fourth = try #require(try DecompressingReader(path: path).takeWholeOutput())
            #expect(fourth.count == bytes.count)
        }
    }

    @Test("two members return all bytes")
    func twoMembers() throws {
        let result = try decompressFile(try gzipMembers(Self.text, Self.large))
        #expect(try result.get() == Self.text + Self.large)
    }

    @Test("two large members across input refills")
    func twoLargeMembers() throws {
        let second = pseudoRandomBytes(count: 280_000, seed: 99)
        let result = try decompressFile(try gzipMembers(Self.large, second))
        #expect(try result.get() == Self.large + second)
    }

    @Test("empty second member adds nothing")
    func emptySecondMember() throws {
        let result = try decompressFile(try gzipMembers(Self.text, []))
        #expect(try result.get() == Self.text)
    }

    @Test("trailing zero padding accepted", arguments: [1, 2, 512, 300_000])
    func trailingZeros(count: Int) throws {
        let padded = try gzip(Self.text) + [UInt8](repeating: 0, count: count)
        let result = try decompressFile(padded)
        #expect(try result.get() == Self.text)
    }

    @Test("trailing garbage rejected", arguments: [[0x41], [0x78, 0x79, 0x7A], [0, 0, 0x41], [0x1F]] as [[UInt8]])
    func trailingGarbage(garbage: [UInt8]) throws {
        let member = try gzip(Self.text)
        let result = try decompressFile(member + garbage)
        guard case .failure(let error) = result else {
            Issue.record("trailing garbage was accepted")
            return
        }
        #expect(error.message == "unexpected data after the end of the gzip stream")
        let garbageOffset = member.count + garbage.prefix { $0 == 0 }.count
        #expect(error.location == "byte \(garbageOffset) of the compressed data")
    }

    @Test("truncated gzip is reported", arguments: [2, 5, 10, 11, 20, 1_000, 150_000, -8, -4, -1])
    func truncated(cut: Int) throws {
        let member = try gzip(Self.large)
        let keep = cut > 0 ? cut : member.count + cut
        let result = try decompressFile(Array(member.prefix(keep)))
        guard case .failure(let error) = result else {
            Issue.record("a gzip file cut to \(keep) of \(member.count) bytes was accepted")
            return
        }
        #expect(error.message == "gzip data is truncated: the file ends inside a compressed stream")
        #expect(error.location == "after \(keep) compressed bytes")
    }

    @Test("truncated second member is reported")
    func truncatedSecondMember() throws {
        let first = try gzip(Self.text)
        let second = try gzip(Self.large)
        let result = try decompressFile(first + second.prefix(second.count / 2))
        guard case .failure(let error) = result else {
            Issue.record("a cut second member was accepted")
            return
        }
        #expect(error.message.contains("truncated"))
    }

    @Test("invalid block type is corrupt data")
    func invalidBlockType() throws {
        var member = try gzip(Self.large)
        // The first deflate block header follows the 10-byte gzip header.
        // 0xFF sets BFINAL and the reserved block type 3.
        member[10] = 0xFF
        let result = try decompressFile(member)
        guard case .failure(let error) = result else {
            Issue.record("a reserved deflate block type was accepted")
            return
        }
        #expect(error.message == "corrupt gzip data (invalid block type)")
        #expect(error.location == "byte 11 of the compressed data")
    }

    /// A damaged field of the gzip trailer (CRC-32, then ISIZE, four bytes each).
    struct DamagedTrailer: Sendable, CustomTestStringConvertible {
        var field: String
        var offsetFromEnd: Int
        var mask: UInt8
        var message: String

        var testDescription: String { field }

        static let all = [
            DamagedTrailer(field: "CRC-32", offsetFromEnd: 8, mask: 0xFF, message: "corrupt gzip data (incorrect data check)"),
            DamagedTrailer(field: "ISIZE", offsetFromEnd: 4, mask: 0x01, message: "corrupt gzip data (incorrect length check)"),
        ]
    }

    @Test("wrong trailer is corrupt data", arguments: DamagedTrailer.all)
    func wrongTrailer(_ damage: DamagedTrailer) throws {
        var member = try gzip(Self.text)
        member[member.count - damage.offsetFromEnd] ^= damage.mask
        let result = try decompressFile(member)
        guard case .failure(let error) = result else {
            Issue.record("a wrong \(damage.field) was accepted")
            return
        }
        #expect(error.message == damage.message)
    }

    /// Sizes of incompressible data whose gzip trailer ends 1 to 15 bytes
    /// after the reader's first 256 KiB read, so that a refill splits it.
    static let splitTrailerSizes: [Int] = {
        let data = pseudoRandomBytes(count: 262_144, seed: 5)
        func compressedCount(_ count: Int) -> Int { (try? gzip(Array(data[..<count])).count) ?? 0 }
        // With stored blocks, the gzip size grows by one byte per byte of data.
        let guess = 262_152 - (compressedCount(262_000) - 262_000)
        return ((guess - 24)...(guess + 24)).filter { (262_145...262_159).contains(compressedCount($0)) }
    }()

    @Test("trailer split by a refill is checked")
    func trailerAcrossRefill() throws {
        #expect(Self.splitTrailerSizes.count >= 8)
        for count in Self.splitTrailerSizes {
            let bytes = Array(pseudoRandomBytes(count: 262_144, seed: 5)[..<count])
            var member = try gzip(bytes)
            #expect(try decompressFile(member).get() == bytes)
            member[member.count - 1] ^= 0x01
            guard case .failure(let error) = try decompressFile(member) else {
                Issue.record("a wrong ISIZE split by a refill was accepted (\(count) bytes)")
                continue
            }
            #expect(error.message == "corrupt gzip data (incorrect length check)")
            member[member.count - 1] ^= 0x01
            member[member.count - 8] ^= 0x01
            guard case .failure(let error) = try decompressFile(member) else {
                Issue.record("a wrong CRC-32 split by a refill was accepted (\(count) bytes)")
                continue
            }
            #expect(error.message == "corrupt gzip data (incorrect data check)")
        }
    }

    @Test("folded CRC-32 equals zlib's", arguments: [0, 1, 15, 16, 63, 64, 65, 127, 128, 1000, 70_001])
    func foldedChecksum(count: Int) {
        let bytes = pseudoRandomBytes(count: count + 16, seed: UInt32(count + 1))
        for offset in 0..<16 {
            for start: UInt32 in [0, 0xFFFF_FFFF, 0x1234_5678] {
                bytes.withUnsafeBufferPointer { buffer in
                    let data = buffer.baseAddress! + offset
                    #expect(trailscan_crc32(start, data, count) == UInt32(crc32_z(UInt(start), data, count)))
                }
            }
        }
    }

    @Test("decompressed size limit triggers")
    func maximumOutput() throws {
        let zeros = [UInt8](repeating: 0, count: 100_000)
        let result = try decompressFile(try gzip(zeros), maximumOutput: 50_000)
        guard case .failure(let error) = result else {
            Issue.record("100,000 bytes passed a 50,000-byte limit")
            return
        }
        #expect(error.message == "decompresses to more than 50000 bytes")
    }

    @Test("output at the size limit passes")
    func outputAtLimit() throws {
        let zeros = [UInt8](repeating: 0, count: 100_000)
        let result = try decompressFile(try gzip(zeros), maximumOutput: 100_000)
        #expect(try result.get() == zeros)
    }

    @Test("size limit applies to plain files")
    func plainLimit() throws {
        let result = try decompressFile(Array(repeating: 0x20, count: 1_000), maximumOutput: 999)
        guard case .failure(let error) = result else {
            Issue.record("1,000 plain bytes passed a 999-byte limit")
            return
        }
        #expect(error.message == "decompresses to more than 999 bytes")
    }

    @Test("small output buffers return exact content", arguments: [1, 7])
    func smallBuffers(bufferSize: Int) throws {
        let first = pseudoRandomBytes(count: 5_000, seed: 3)
        let second = Array(String(repeating: "eventName ", count: 300).utf8)
        let gzipped = try decompressFile(try gzipMembers(first, second), bufferSize: bufferSize)
        #expect(try gzipped.get() == first + second)

        let plain = Array(String(repeating: "abcdefghij", count: 100).utf8)
        let passthrough = try decompressFile(plain, bufferSize: bufferSize)
        #expect(try passthrough.get() == plain)
    }

    @Test("missing file names the path")
    func missingFile() throws {
        try withTemporaryDirectory { directory in
            let path = directory + "/absent.json.gz"
            #expect {
                _ = try DecompressingReader(path: path)
            } throws: { error in
                guard let error = error as? InputError else { return false }
                return error.path == path && error.message == "cannot open: No such file or directory"
            }
        }
    }
}
