import CInflate
import CZlib
import Glibc

/// Reads an input's bytes from a file descriptor, inflating gzip data on the
/// fly.
///
/// Compression is recognised by content: the first two bytes `1f 8b` mean
/// gzip, anything else is read as it is. A gzip file may hold several members
/// back to back (RFC 1952, section 2.2); each one is inflated in turn. Zero
/// bytes after the last member are ignored, as `gzip -d` does.
///
/// A regular gzip file of up to `wholeFileInputLimit` bytes is first read
/// whole and decoded at once by `trailscan_inflate`, about 1.7 times as fast
/// as zlib's streaming inflate (`make bench-inflate`). When that fails
/// (damaged data, an output larger than `wholeFileOutputLimit`, reserved
/// header flags), its output is dropped and zlib streams the file from the
/// start. Errors and their locations are therefore always zlib's.
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
        /// The whole file is decoded in `decoded`.
        case decoded
        case finished
    }

    /// The largest compressed file, and the largest output, decoded whole.
    /// Larger files, and files that would pass `WholeFileBudget`, are
    /// streamed by zlib.
    static let wholeFileInputLimit = 4 << 20
    static let wholeFileOutputLimit = 32 << 20

    private let decodesWhole: Bool
    /// Whether the file was decoded whole rather than streamed by zlib.
    private(set) var wasDecodedWhole = false
    private var decoded: DecodedFile?
    /// How many bytes of `decoded` were returned so far.
    private var decodedStart = 0

    /// Opens `path` for reading. `decodesWhole` false makes zlib stream
    /// every gzip file, as tests of the streaming path need.
    init(
        path: String, maximumOutput: Int64 = DecompressingReader.defaultMaximumOutput, decodesWhole: Bool = true
    ) throws(InputError) {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else {
            throw InputError(path: path, message: "cannot open: \(String(cString: strerror(errno)))",
                             hint: "check that the file exists and is readable")
        }
        self.path = path
        self.fileDescriptor = descriptor
        self.ownsDescriptor = true
        self.maximumOutput = maximumOutput
        self.decodesWhole = decodesWhole
        self.input = .allocate(capacity: 256 * 1024)
    }

    /// Reads from an already open descriptor (standard input) without
    /// closing it. `prefix` holds bytes already read from it, which come first.
    /// `decodesWhole` lets a regular file at offset 0, with no prefix, be
    /// decoded whole, as the fuzz target does.
    init(fileDescriptor: Int32, name: String, prefix: [UInt8] = [], maximumOutput: Int64 = .max, decodesWhole: Bool = false) {
        self.path = name
        self.fileDescriptor = fileDescriptor
        self.ownsDescriptor = false
        self.maximumOutput = maximumOutput
        self.decodesWhole = decodesWhole && prefix.isEmpty
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
            case .decoded:
                let count = min(output.count, decoded!.count - decodedStart)
                if count == 0 {
                    decoded = nil
                    mode = .finished
                    return 0
                }
                output.baseAddress!.update(from: decoded!.buffer.baseAddress! + decodedStart, count: count)
                decodedStart += count
                return try account(count)
            }
        }
    }

    /// Hands over the output of a file decoded whole (see `ByteSource`).
    func takeWholeOutput() throws(InputError) -> DecodedFile? {
        if mode == .undetermined { try determineMode() }
        guard mode == .decoded, decodedStart == 0, let whole = decoded else { return nil }
        decoded = nil
        mode = .finished
        _ = try account(whole.count)
        return whole
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
        if decodeWholeFile() {
            mode = .decoded
            return
        }
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

// MARK: - Whole-file decoding

extension DecompressingReader {
    /// Reads the file whole and decodes all its members into `decoded`.
    /// Returns false, with nothing changed, when the input is not a regular
    /// file within the limits, or when any member fails to decode or check.
    /// `pread` leaves the descriptor's offset where the streaming path
    /// expects it.
    fileprivate func decodeWholeFile() -> Bool {
        guard decodesWhole else { return false }
        var info = stat()
        guard fstat(fileDescriptor, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG,
              info.st_size > 0, info.st_size <= Self.wholeFileInputLimit
        else { return false }
        var magic: (UInt8, UInt8) = (0, 0)
        guard withUnsafeMutableBytes(of: &magic, { pread(fileDescriptor, $0.baseAddress, 2, 0) }) == 2,
              magic == (0x1F, 0x8B)
        else { return false }
        let size = Int(info.st_size)
        guard WholeFileBudget.reserve(size + 1) else { return false }
        // One byte more than the size, to notice a file that grew since fstat.
        let compressed = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: size + 1)
        defer {
            compressed.deallocate()
            WholeFileBudget.release(size + 1)
        }
        var total = 0
        while total <= size {
            let count = pread(fileDescriptor, compressed.baseAddress! + total, size + 1 - total, off_t(total))
            if count > 0 {
                total += count
            } else if count < 0 && errno == EINTR {
                continue
            } else {
                break
            }
        }
        guard total == size else { return false }

        let limit = Int(min(Int64(Self.wholeFileOutputLimit), maximumOutput))
        guard let output = Self.decodeMembers(UnsafeBufferPointer(rebasing: compressed[..<size]), limit: limit)
        else { return false }
        decoded = output
        decodedStart = 0
        compressedOffset = Int64(size)
        wasDecodedWhole = true
        return true
    }

    /// Decodes the gzip members in `bytes` into a new buffer of at most
    /// `limit` bytes, reserved in `WholeFileBudget`, and checks each
    /// member's CRC-32 and length. Returns nil on any failure, or when the
    /// budget cannot take the buffer.
    private static func decodeMembers(_ bytes: UnsafeBufferPointer<UInt8>, limit: Int) -> DecodedFile? {
        // DEFLATE expands at most 1032-fold (a 258-byte match in 2 bits), so
        // a small file that claims a large length reserves no more than it
        // could produce.
        let limit = min(limit, bytes.count * 1032)
        guard limit > 0, let inflater = trailscan_inflater_create() else { return nil }
        defer { trailscan_inflater_destroy(inflater) }

        // The last member's trailer gives its length modulo 2^32, which for
        // the usual single member is the size of the output.
        var capacity = 1 << 16
        if bytes.count >= 18 {
            let end = bytes.count
            let lastLength = Int(bytes[end - 4]) | Int(bytes[end - 3]) << 8 | Int(bytes[end - 2]) << 16 | Int(bytes[end - 1]) << 24
            // The last member alone makes at least that much output (the
            // field is the length modulo 2^32), so a larger one cannot fit.
            if lastLength > limit { return nil }
            capacity = max(capacity, lastLength)
        }
        capacity = min(capacity, limit)
        guard WholeFileBudget.reserve(capacity) else { return nil }
        var output = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: capacity)

        var produced = 0
        var position = 0
        while true {
            guard let dataStart = gzipHeaderEnd(bytes, at: position) else { break }
            var used = 0
            var count = 0
            let status = trailscan_inflate(
                inflater, bytes.baseAddress! + dataStart, bytes.count - dataStart, &used,
                output.baseAddress! + produced, output.count - produced, &count)
            let largerCapacity = min(limit, output.count * 2)
            if status == TRAILSCAN_INFLATE_NO_ROOM && output.count < limit
                && WholeFileBudget.reserve(largerCapacity - output.count)
            {
                let larger = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: largerCapacity)
                larger.baseAddress!.update(from: output.baseAddress!, count: produced)
                output.deallocate()
                output = larger
                continue
            }

            let trailer = dataStart + used
            guard status == TRAILSCAN_INFLATE_OK, bytes.count - trailer >= 8 else { break }
            let crc = trailscan_crc32(0, output.baseAddress! + produced, count)
            guard crc == littleEndianUInt32(bytes, at: trailer),
                  UInt32(truncatingIfNeeded: count) == littleEndianUInt32(bytes, at: trailer + 4)
            else { break }

            produced += count
            position = trailer + 8
            let rest = UnsafeBufferPointer(rebasing: bytes[position...])
            if rest.allSatisfy({ $0 == 0 }) { return DecodedFile(buffer: output, count: produced, reservedBytes: output.count) }
        }

        output.deallocate()
        WholeFileBudget.release(output.count)
        return nil
    }

    /// Returns where the DEFLATE data of the gzip member at `start` begins
    /// (RFC 1952, section 2.3), or nil for a header that is not there, is
    /// cut short or sets a reserved flag. The header's optional CRC-16 is
    /// skipped, as the streaming path does.
    static func gzipHeaderEnd(_ bytes: UnsafeBufferPointer<UInt8>, at start: Int) -> Int? {
        guard bytes.count - start >= 10, bytes[start] == 0x1F, bytes[start + 1] == 0x8B, bytes[start + 2] == 8
        else { return nil }
        let flags = bytes[start + 3]
        guard flags & 0xE0 == 0 else { return nil }
        var position = start + 10
        if flags & 0x04 != 0 {
            guard bytes.count - position >= 2 else { return nil }
            position += 2 + (Int(bytes[position]) | Int(bytes[position + 1]) << 8)
        }
        for flag: UInt8 in [0x08, 0x10] where flags & flag != 0 {
            guard position < bytes.count, let zero = bytes[position...].firstIndex(of: 0) else { return nil }
            position = zero + 1
        }
        if flags & 0x02 != 0 { position += 2 }
        return position <= bytes.count ? position : nil
    }

    private static func littleEndianUInt32(_ bytes: UnsafeBufferPointer<UInt8>, at offset: Int) -> UInt32 {
        UInt32(bytes[offset]) | UInt32(bytes[offset + 1]) << 8 | UInt32(bytes[offset + 2]) << 16 | UInt32(bytes[offset + 3]) << 24
    }
}
