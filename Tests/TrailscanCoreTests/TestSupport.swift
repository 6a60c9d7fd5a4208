import CZlib
import Foundation
import Testing

@testable import TrailscanCore

/// Compresses `bytes` into one gzip member with the system zlib.
func gzip(_ bytes: [UInt8], level: Int32 = 6) throws -> [UInt8] {
    // Window bits 15 + 16 ask deflate for a gzip header and trailer.
    try deflated(bytes, level: level, windowBits: 31)
}

/// Compresses `bytes` with the system zlib: window bits 31 give a gzip
/// member, -15 raw DEFLATE data.
func deflated(_ bytes: [UInt8], level: Int32, windowBits: Int32) throws -> [UInt8] {
    var stream = z_stream()
    let initStatus = trailscan_deflateInit2(&stream, level, windowBits)
    try #require(initStatus == Z_OK, "deflateInit2 returned \(initStatus)")
    defer { deflateEnd(&stream) }
    let bound = Int(deflateBound(&stream, UInt(bytes.count)))
    let (status, output) = zlibFinish(&stream, input: bytes, capacity: bound + 64) { deflate(&$0, Z_FINISH) }
    try #require(status == Z_STREAM_END, "deflate returned \(status)")
    return output
}

/// Runs one zlib call that finishes the stream (`deflate` or `inflate`
/// with `Z_FINISH`) from `input` into a buffer of `capacity` bytes, and
/// returns its status and the output.
func zlibFinish(
    _ stream: inout z_stream, input: [UInt8], capacity: Int, _ call: (inout z_stream) -> Int32
) -> (status: Int32, output: [UInt8]) {
    var input = input
    var status: Int32 = Z_OK
    // Left uninitialized, so that only the pages zlib writes take memory:
    // a large, compressible input has a large bound and a small output.
    let output = [UInt8](unsafeUninitializedCapacity: capacity) { outputBuffer, initializedCount in
        status = input.withUnsafeMutableBufferPointer { inputBuffer in
            stream.next_in = inputBuffer.baseAddress
            stream.avail_in = UInt32(inputBuffer.count)
            stream.next_out = outputBuffer.baseAddress
            stream.avail_out = UInt32(outputBuffer.count)
            defer {
                stream.next_in = nil
                stream.next_out = nil
            }
            return call(&stream)
        }
        initializedCount = Int(stream.total_out)
    }
    return (status, output)
}

/// Compresses `text` as UTF-8 into one gzip member.
func gzip(_ text: String) throws -> [UInt8] {
    try gzip(Array(text.utf8))
}

/// Two gzip members back to back, as `cat a.gz b.gz` writes them.
func gzipMembers(_ first: [UInt8], _ second: [UInt8]) throws -> [UInt8] {
    try gzip(first) + gzip(second)
}

/// Bytes that deflate cannot shrink much, from a fixed linear congruential
/// generator so that every run gets the same data.
func pseudoRandomBytes(count: Int, seed: UInt32 = 12_345) -> [UInt8] {
    var state = seed
    var bytes: [UInt8] = []
    bytes.reserveCapacity(count)
    for _ in 0..<count {
        state = state &* 1_664_525 &+ 1_013_904_223
        bytes.append(UInt8(truncatingIfNeeded: state >> 24))
    }
    return bytes
}

/// A fresh directory under the system temporary directory, removed when
/// `body` returns.
func withTemporaryDirectory<T>(_ body: (String) throws -> T) throws -> T {
    var template = Array((NSTemporaryDirectory() + "/trailscan-tests-XXXXXX").utf8CString)
    let created = template.withUnsafeMutableBufferPointer { mkdtemp($0.baseAddress!) }
    try #require(created != nil, "mkdtemp failed: errno \(errno)")
    let directory = String(decoding: template.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    defer { try? FileManager.default.removeItem(atPath: directory) }
    return try body(directory)
}

/// Writes `bytes` to `name` inside `directory` and returns the file's path.
@discardableResult
func writeFile(_ bytes: [UInt8], named name: String, in directory: String) throws -> String {
    let path = directory + "/" + name
    try Data(bytes).write(to: URL(fileURLWithPath: path))
    return path
}

/// Reads everything `reader` returns and reports whether it equals
/// `expected`, without keeping a copy of it.
func readsExactly(_ expected: [UInt8], from reader: DecompressingReader) throws(InputError) -> Bool {
    let buffer = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: 1 << 20)
    defer { buffer.deallocate() }
    var offset = 0
    while true {
        let count = try reader.read(into: buffer)
        if count == 0 { return offset == expected.count }
        guard offset + count <= expected.count, buffer[..<count].elementsEqual(expected[offset..<(offset + count)])
        else { return false }
        offset += count
    }
}

/// Reads everything `reader` returns, `bufferSize` bytes per call at most.
func readAll(_ reader: DecompressingReader, bufferSize: Int = 64 * 1024) throws(InputError) -> [UInt8] {
    let buffer = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: bufferSize)
    defer { buffer.deallocate() }
    var output: [UInt8] = []
    while true {
        let count = try reader.read(into: buffer)
        if count == 0 { return output }
        output.append(contentsOf: buffer[0..<count])
    }
}

/// Writes `bytes` to a file in a temporary directory and returns what a
/// `DecompressingReader` reads back from it, or the error it throws. The
/// file is read twice, decoded whole and streamed by zlib, and the two
/// results must be the same.
func decompressFile(
    _ bytes: [UInt8], bufferSize: Int = 64 * 1024, maximumOutput: Int64 = DecompressingReader.defaultMaximumOutput
) throws -> Result<[UInt8], InputError> {
    try withTemporaryDirectory { directory in
        let path = try writeFile(bytes, named: "input.json.gz", in: directory)
        func read(decodesWhole: Bool) -> Result<[UInt8], InputError> {
            do throws(InputError) {
                let reader = try DecompressingReader(path: path, maximumOutput: maximumOutput, decodesWhole: decodesWhole)
                return .success(try readAll(reader, bufferSize: bufferSize))
            } catch {
                return .failure(error)
            }
        }
        let whole = read(decodesWhole: true)
        let streamed = read(decodesWhole: false)
        switch (whole, streamed) {
        case (.success(let wholeBytes), .success(let streamedBytes)):
            #expect(wholeBytes == streamedBytes)
        case (.failure(let wholeError), .failure(let streamedError)):
            #expect(wholeError.description == streamedError.description)
        default:
            Issue.record("decoded whole: \(whole.map(\.count)); streamed: \(streamed.map(\.count))")
        }
        return whole
    }
}
