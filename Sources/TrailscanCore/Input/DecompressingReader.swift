import CZlib
import Glibc

/// Reads an input's bytes from a file descriptor, inflating gzip data on the
/// fly.
///
/// Compression is recognised by content: the first two bytes `1f 8b` mean
/// gzip, anything else is read as it is. A gzip file may hold several members
/// back to back (RFC 1952, section 2.2); each one is inflated in turn. Zero
/// bytes after the last member are ignored, as `gzip -d` does.
final class DecompressingReader {
    /// The default limit on the decompressed size of one input, against gzip bombs.
    static let defaultMaximumOutput: Int64 = 4 << 30

    let path: String
    private let fileDescriptor: Int32
    private let ownsDescriptor: Bool
    private let maximumOutput: Int64

    private let input: UnsafeMutableBufferPointer<UInt8>
    private var inputStart = 0
    private var inputEnd = 0
    private var isInputExhausted = false

    private var stream = z_stream()
    private var isStreamInitialized = false
    private var mode = Mode.undetermined

    /// The CRC-32 and the length modulo 2^32 of the current gzip member's
    /// output, checked against its trailer here rather than by zlib.
    private var memberCRC: UInt32 = 0
    private var memberLength: UInt32 = 0
    /// The last eight compressed bytes consumed before `input[0]`, the
    /// oldest in the low byte, for a trailer split by a refill.
    private var consumedBeforeInput: UInt64 = 0

    /// Bytes read from the file so far.
    private(set) var compressedOffset: Int64 = 0
    /// Bytes returned to the caller so far.
    private(set) var outputOffset: Int64 = 0

    private enum Mode {
        case undetermined
        case plain
        case gzip
        case finished
    }

    /// Opens `path` for reading.
    init(path: String, maximumOutput: Int64 = DecompressingReader.defaultMaximumOutput) throws(InputError) {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else {
            throw InputError(path: path, message: "cannot open: \(String(cString: strerror(errno)))",
                             hint: "check that the file exists and is readable")
        }
        self.path = path
        self.fileDescriptor = descriptor
        self.ownsDescriptor = true
        self.maximumOutput = maximumOutput
        self.input = .allocate(capacity: 256 * 1024)
    }

    /// Reads from an already open descriptor (standard input) without
    /// closing it. `prefix` holds bytes already read from it, which come first.
    init(fileDescriptor: Int32, name: String, prefix: [UInt8] = [], maximumOutput: Int64 = .max) {
        self.path = name
        self.fileDescriptor = fileDescriptor
        self.ownsDescriptor = false
        self.maximumOutput = maximumOutput
        self.input = .allocate(capacity: max(256 * 1024, prefix.count))
        prefix.withUnsafeBufferPointer { bytes in
            if let base = bytes.baseAddress { input.baseAddress!.update(from: base, count: bytes.count) }
        }
        inputEnd = prefix.count
        compressedOffset = Int64(prefix.count)
    }

    deinit {
        if isStreamInitialized { inflateEnd(&stream) }
        if ownsDescriptor { close(fileDescriptor) }
        input.deallocate()
    }

    /// Fills `output` with the next decompressed bytes and returns how many
    /// were written; 0 means the end of the input.
    func read(into output: UnsafeMutableBufferPointer<UInt8>) throws(InputError) -> Int {
        precondition(output.count > 0)
        while true {
            switch mode {
            case .finished:
                return 0
            case .undetermined:
                try determineMode()
            case .plain:
                let count = try readPlain(into: output)
                return try account(count)
            case .gzip:
                let count = try inflateSome(into: output)
                if count > 0 || mode == .finished { return try account(count) }
            }
        }
    }

    private func account(_ count: Int) throws(InputError) -> Int {
        outputOffset += Int64(count)
        if outputOffset > maximumOutput {
            throw InputError(
                path: path, message: "decompresses to more than \(maximumOutput) bytes",
                hint: "this looks like a gzip bomb; if the file is genuine, raise the limit")
        }
        return count
    }

    private func determineMode() throws(InputError) {
        while inputEnd - inputStart < 2 && !isInputExhausted { try refillInput() }
        if inputEnd - inputStart >= 2 && input[inputStart] == 0x1F && input[inputStart + 1] == 0x8B {
            mode = .gzip
            try startGzipMember()
        } else {
            mode = .plain
        }
    }

    private func readPlain(into output: UnsafeMutableBufferPointer<UInt8>) throws(InputError) -> Int {
        if inputStart == inputEnd {
            if isInputExhausted {
                mode = .finished
                return 0
            }
            try refillInput()
            if inputStart == inputEnd {
                mode = .finished
                return 0
            }
        }
        let count = min(output.count, inputEnd - inputStart)
        output.baseAddress!.update(from: input.baseAddress! + inputStart, count: count)
        inputStart += count
        return count
    }

    private func startGzipMember() throws(InputError) {
        memberCRC = 0
        memberLength = 0
        if isStreamInitialized {
            inflateReset(&stream)
            return
        }
        // 15 + 16: a 32 KiB window and a gzip header and trailer.
        let status = trailscan_inflateInit2(&stream, 15 + 16)
        guard status == Z_OK else {
            throw InputError(path: path, message: "zlib inflateInit2 failed with status \(status)")
        }
        // zlib still reads the trailer but leaves its CRC-32 and length to
        // `checkTrailer`, which computes the CRC several times faster.
        // NOTE: zlib then also skips the optional CRC-16 of the header
        // (FHCRC). It covers only the header's time, name, comment and extra
        // field, and the data's CRC-32 is still checked.
        inflateValidate(&stream, 0)
        isStreamInitialized = true
    }

    private func inflateSome(into output: UnsafeMutableBufferPointer<UInt8>) throws(InputError) -> Int {
        if inputStart == inputEnd && !isInputExhausted { try refillInput() }

        stream.next_in = input.baseAddress! + inputStart
        stream.avail_in = UInt32(inputEnd - inputStart)
        stream.next_out = output.baseAddress
        stream.avail_out = UInt32(output.count)
        defer {
            stream.next_in = nil
            stream.next_out = nil
        }

        let status = inflate(&stream, Z_NO_FLUSH)
        let consumed = (inputEnd - inputStart) - Int(stream.avail_in)
        inputStart += consumed
        let produced = output.count - Int(stream.avail_out)
        if produced > 0 {
            memberCRC = trailscan_crc32(memberCRC, output.baseAddress, produced)
            memberLength &+= UInt32(truncatingIfNeeded: produced)
        }

        switch status {
        case Z_OK, Z_BUF_ERROR:
            // No progress with no input left: the stream ended before its trailer.
            if produced == 0 && consumed == 0 && inputStart == inputEnd && isInputExhausted {
                throw truncatedError()
            }
            return produced
        case Z_STREAM_END:
            try checkTrailer()
            try finishMember()
            return produced
        default:
            throw corruptDataError(stream.msg.map { String(cString: $0) } ?? "status \(status)")
        }
    }

    /// Returns the error for damaged gzip data, located at the first
    /// compressed byte not yet consumed.
    private func corruptDataError(_ reason: String) -> InputError {
        InputError(
            path: path, location: "byte \(compressedOffset - Int64(inputEnd - inputStart)) of the compressed data",
            message: "corrupt gzip data (\(reason))",
            hint: "the file is damaged; fetch it again from the bucket")
    }

    /// Returns the last eight consumed bytes, the oldest in the low byte:
    /// `history`, the eight before `input[0]`, followed by the bytes that
    /// inflate has consumed from `input` since.
    private func lastConsumedBytes(after history: UInt64) -> UInt64 {
        var bytes = history
        for index in max(0, inputStart - 8)..<inputStart {
            bytes = bytes >> 8 | UInt64(input[index]) << 56
        }
        return bytes
    }

    /// Compares the member's CRC-32 and length with its trailer, the last
    /// eight bytes that inflate consumed, and throws zlib's message when
    /// they differ.
    private func checkTrailer() throws(InputError) {
        let trailer = lastConsumedBytes(after: consumedBeforeInput)
        let problem: String
        if UInt32(truncatingIfNeeded: trailer) != memberCRC {
            problem = "incorrect data check"
        } else if UInt32(truncatingIfNeeded: trailer >> 32) != memberLength {
            problem = "incorrect length check"
        } else {
            return
        }
        throw corruptDataError(problem)
    }

    /// After one gzip member ends: start the next one, or finish at the end
    /// of the file.
    private func finishMember() throws(InputError) {
        while inputEnd - inputStart < 2 && !isInputExhausted { try refillInput() }
        if inputStart == inputEnd {
            mode = .finished
            return
        }
        if inputEnd - inputStart >= 2 && input[inputStart] == 0x1F && input[inputStart + 1] == 0x8B {
            try startGzipMember()
            return
        }
        try skipTrailingZeros()
    }

    private func skipTrailingZeros() throws(InputError) {
        while true {
            while inputStart < inputEnd {
                guard input[inputStart] == 0 else {
                    throw InputError(
                        path: path,
                        location: "byte \(compressedOffset - Int64(inputEnd - inputStart)) of the compressed data",
                        message: "unexpected data after the end of the gzip stream",
                        hint: "the file is damaged; fetch it again from the bucket")
                }
                inputStart += 1
            }
            if isInputExhausted { break }
            try refillInput()
        }
        mode = .finished
    }

    private func truncatedError() -> InputError {
        InputError(
            path: path, location: "after \(compressedOffset) compressed bytes",
            message: "gzip data is truncated: the file ends inside a compressed stream",
            hint: "the file was cut off or is still being written; fetch it again and re-run")
    }

    private func refillInput() throws(InputError) {
        consumedBeforeInput = lastConsumedBytes(after: consumedBeforeInput)
        if inputStart > 0 && inputStart < inputEnd {
            (input.baseAddress! + 0).update(from: input.baseAddress! + inputStart, count: inputEnd - inputStart)
        }
        inputEnd -= inputStart
        inputStart = 0
        guard inputEnd < input.count else { return }

        while true {
            let count = Glibc.read(fileDescriptor, input.baseAddress! + inputEnd, input.count - inputEnd)
            if count > 0 {
                inputEnd += count
                compressedOffset += Int64(count)
                return
            }
            if count == 0 {
                isInputExhausted = true
                return
            }
            if errno == EINTR {
                // A stop request ends standard input where it is.
                if StopSignal.isRaised {
                    isInputExhausted = true
                    return
                }
                continue
            }
            throw InputError(path: path, location: "byte \(compressedOffset)",
                             message: "read failed: \(String(cString: strerror(errno)))")
        }
    }
}
