/// A stream of an input's decompressed bytes, read into caller buffers.
protocol ByteSource: AnyObject {
    /// The input's path, or `stdin`, for error messages.
    var path: String { get }

    /// Fills `output` with the next bytes and returns how many were written;
    /// 0 means the end of the input.
    func read(into output: UnsafeMutableBufferPointer<UInt8>) throws(InputError) -> Int

    /// Returns all of the input's bytes in one buffer, which the caller then
    /// owns, or nil when the source has no such buffer. Only valid before
    /// the first `read(into:)`.
    func takeWholeOutput() throws(InputError) -> DecodedFile?
}

extension ByteSource {
    func takeWholeOutput() throws(InputError) -> DecodedFile? { nil }
}

extension DecompressingReader: ByteSource {}
