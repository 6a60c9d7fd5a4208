/// A stream of an input's decompressed bytes, read into caller buffers.
protocol ByteSource: AnyObject {
    /// The input's path, or `stdin`, for error messages.
    var path: String { get }

    /// Fills `output` with the next bytes and returns how many were written;
    /// 0 means the end of the input.
    func read(into output: UnsafeMutableBufferPointer<UInt8>) throws(InputError) -> Int
}

extension DecompressingReader: ByteSource {}

/// Bytes already in memory: one chunk of a standard-input stream.
final class MemoryByteSource: ByteSource {
    let path: String
    private let bytes: [UInt8]
    private var position = 0

    init(_ bytes: [UInt8], path: String) {
        self.bytes = bytes
        self.path = path
    }

    func read(into output: UnsafeMutableBufferPointer<UInt8>) throws(InputError) -> Int {
        let count = min(output.count, bytes.count - position)
        guard count > 0 else { return 0 }
        bytes.withUnsafeBufferPointer { source in
            output.baseAddress!.update(from: source.baseAddress! + position, count: count)
        }
        position += count
        return count
    }
}
