import Foundation
import Glibc
import Testing

@testable import TrailscanCore

@Suite("Standard-input chunks")
struct StreamChunkerTests {
    /// Cuts the contents of a file into chunks and returns them.
    private static func chunks(of text: String, chunkSize: Int, maximumLineSize: Int) throws -> [StreamChunker.Chunk] {
        try withTemporaryDirectory { directory in
            let path = try writeFile(Array(text.utf8), named: "stream.ndjson", in: directory)
            let descriptor = open(path, O_RDONLY)
            try #require(descriptor >= 0)
            defer { close(descriptor) }
            let chunker = StreamChunker(
                fileDescriptor: descriptor, prefix: [], chunkSize: chunkSize, maximumLineSize: maximumLineSize)
            var chunks: [StreamChunker.Chunk] = []
            while let chunk = try chunker.next() { chunks.append(chunk) }
            return chunks
        }
    }

    @Test("lines keep their numbers and offsets")
    func numbersAndOffsets() throws {
        let lines = (0..<5_000).map { #"{"eventID":"e-\#($0)"}"# }
        let chunks = try Self.chunks(of: lines.joined(separator: "\n") + "\n", chunkSize: 16 << 10, maximumLineSize: 1 << 20)
        #expect(chunks.count > 3)
        var line = 1
        var offset: Int64 = 0
        for chunk in chunks {
            #expect(chunk.firstLine == line)
            #expect(chunk.offset == offset)
            let text = String(decoding: chunk.bytes.contents, as: UTF8.self)
            #expect(text.hasSuffix("\n"))
            line += text.filter { $0 == "\n" }.count
            offset += Int64(chunk.bytes.count)
        }
        #expect(line == 5_001)
        #expect(chunks.map { String(decoding: $0.bytes.contents, as: UTF8.self) }.joined() == lines.joined(separator: "\n") + "\n")
    }

    @Test("overlong lines are dropped and reported")
    func overlongLines() throws {
        let long = String(repeating: "x", count: 300_000)
        let text = "a\n" + long + "\nb\n" + long
        let chunks = try Self.chunks(of: text, chunkSize: 64 << 10, maximumLineSize: 128 << 10)

        #expect(chunks.map { String(decoding: $0.bytes.contents, as: UTF8.self) }.joined() == "a\nb\n")
        #expect(chunks.flatMap(\.skippedLines) == [
            "line 2, byte 2: the line is longer than 128 KiB and was skipped; split the input into one record per line",
            "line 4, byte 300005: the line is longer than 128 KiB and was skipped; split the input into one record per line",
        ])
        let lineB = try #require(chunks.first { String(decoding: $0.bytes.contents, as: UTF8.self).hasPrefix("b") })
        #expect(lineB.firstLine == 3)
        #expect(lineB.offset == 300_003)
    }
}

@Suite("Chunk buffer pool")
struct ChunkBufferPoolTests {
    @Test("keeps buffers up to its limit")
    func limit() {
        let pool = ChunkBufferPool(bufferSize: 64, limit: 2)
        let buffers = (0..<3).map { _ in pool.take() }
        for buffer in buffers { pool.recycle(buffer) }
        #expect(pool.pooledCount == 2)
        // A buffer of another size is freed, not kept.
        pool.recycle(pool.take())
        pool.recycle(.allocate(capacity: 32))
        #expect(pool.pooledCount == 2)
    }

    @Test("close frees kept buffers and later ones")
    func close() {
        let pool = ChunkBufferPool(bufferSize: 64, limit: 4)
        let first = pool.take()
        let second = pool.take()
        pool.recycle(first)
        #expect(pool.pooledCount == 1)
        pool.close()
        #expect(pool.pooledCount == 0)
        pool.recycle(second)
        #expect(pool.pooledCount == 0)
    }
}
