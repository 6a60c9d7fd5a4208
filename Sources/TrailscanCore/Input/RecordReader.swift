import Glibc

/// Splits an input's decompressed bytes into CloudTrail records.
///
/// Accepted shapes, recognised from the data rather than the file name:
/// - `{"Records": [record, ...]}`: CloudTrail's S3 objects; every element is a record.
/// - `{"Events": [item, ...]}`: `aws cloudtrail lookup-events` output; every
///   element is an item whose `CloudTrailEvent` string contains the record.
/// - `[value, ...]`: a JSON array of records or EventBridge envelopes.
/// - a sequence of top-level objects (NDJSON, one per line, or concatenated).
///
/// The reader keeps one growable buffer. It finds where each record ends
/// with a light structural scan (strings and brackets only); the field
/// scanner validates the record's syntax afterwards. When a record runs past
/// the buffered data, the reader compacts the buffer, reads more and resumes
/// the scan where it stopped (`SkipProgress`), so a record that arrives in
/// many reads (a 50 MB string, say) is still scanned once.
///
/// Errors inside a line of a line-oriented stream (NDJSON) skip to the next
/// line and are reported through `problems`; errors inside a
/// `{"Records": [...]}` document end the input, because nothing after them
/// can be trusted.
final class RecordReader {
    /// A record's bytes, valid until the next call to `next()`.
    struct Record {
        var bytes: UnsafeBufferPointer<UInt8>
        /// Offset of the record's first byte in the decompressed input.
        var offset: Int64
        /// True when the record came from an `Events` wrapper and is the
        /// decoded `CloudTrailEvent` string rather than an object in place.
        var isLookupEventsItem: Bool
        /// The record's shape when `next(scanningWith:)` already scanned it,
        /// so the scanner contains its fields; nil otherwise.
        var scannedShape: FieldScanner.Shape?
    }

    /// The largest record the reader accepts, against unbounded buffering.
    static let maximumRecordSize = 256 << 20

    private let path: String
    /// Nil when the whole input was handed over in memory.
    private let source: (any ByteSource)?
    private var buffer: UnsafeMutableBufferPointer<UInt8>
    /// The chunk whose memory `buffer` borrows, kept alive with the reader;
    /// nil when the reader owns `buffer`.
    private let borrowed: ChunkBytes?
    /// A file decoded whole whose buffer this reader reads in place.
    private var decodedFile: DecodedFile?
    private var start = 0
    private var end = 0
    private var isAtEndOfInput = false
    /// Decompressed offset of `buffer[0]`.
    private var bufferOffset: Int64 = 0
    /// Newlines before `buffer[0]`, so a line number costs one count over the buffer.
    private var linesBeforeBuffer = 0

    private var state = State.topLevel
    /// Where the last `skipValue` call stopped for lack of data.
    private var skipProgress: SkipProgress?
    /// True once a `{"Records": [...]}` or `{"Events": [...]}` wrapper was seen.
    private(set) var sawWrapper = false
    private(set) var problems: [InputError] = []
    private(set) var problemCount = 0

    private enum State {
        case topLevel
        case wrapperArray(isEvents: Bool)
        case topLevelArray
        case afterWrapperArray
    }

    /// The state of a value scan interrupted at the end of the buffered data,
    /// in decompressed offsets so that it survives buffer compaction.
    private struct SkipProgress {
        /// Offset of the value's first byte: the scan resumes only for the same value.
        var valueStart: Int64
        /// Offset of the next byte to scan. Inside a string this can be one
        /// past the buffered data, when the last byte read was a backslash.
        var position: Int64
        var depth: Int
        var isInString: Bool
    }

    private enum ScanFailure: Error {
        case needMoreData
        case syntax(position: Int, message: String)
    }

    /// Reads from `source`.
    init(source: any ByteSource, initialCapacity: Int = 1 << 20) {
        self.path = source.path
        self.source = source
        self.buffer = .allocate(capacity: initialCapacity)
        self.borrowed = nil
    }

    /// Reads the records of a chunk of a standard-input stream in place,
    /// without copying its bytes. The chunk passes the line and offset of
    /// its first byte, so errors and records carry positions in the whole
    /// stream.
    init(chunk: ChunkBytes, path: String, firstLine: Int, firstOffset: Int64) {
        self.path = path
        self.source = nil
        // The reader never writes into the buffer once the input has ended:
        // only `readMore` does, and it is not called at the end of input.
        self.buffer = UnsafeMutableBufferPointer(mutating: chunk.contents)
        self.borrowed = chunk
        self.end = chunk.count
        self.isAtEndOfInput = true
        self.linesBeforeBuffer = firstLine - 1
        self.bufferOffset = firstOffset
    }

    deinit {
        if borrowed == nil && decodedFile == nil { buffer.deallocate() }
    }

    /// Returns the next record, or nil at the end of the input.
    func next() throws(InputError) -> Record? {
        try next(scanner: nil)
    }

    /// Returns the next record, or nil at the end of the input, scanning it
    /// with `scanner` on the way when it can. A record found whole in the
    /// buffered data is then read once instead of twice (once to find its
    /// end, once by the scanner), and comes with `scannedShape` set. A
    /// record that spans a refill, or that the scanner rejects, is found as
    /// `next()` finds it and left for the caller to scan.
    func next(scanningWith scanner: inout FieldScanner) throws(InputError) -> Record? {
        let result = withUnsafeMutablePointer(to: &scanner) { pointer in
            Result { () throws(InputError) -> Record? in try next(scanner: pointer) }
        }
        return try result.get()
    }

    /// `scanner` is used only during the call.
    private func next(scanner: UnsafeMutablePointer<FieldScanner>?) throws(InputError) -> Record? {
        while true {
            do {
                return try scanNextRecord(scanner: scanner)
            } catch {
                try handle(error)
            }
        }
    }

    private func handle(_ failure: ScanFailure) throws(InputError) {
        switch failure {
        case .needMoreData:
            if isAtEndOfInput {
                throw error(at: end, "the JSON document ends early (the input is truncated)",
                            hint: "the file was cut off or is still being written; fetch it again and re-run")
            }
            try readMore()
        case .syntax(let position, let message):
            try recover(fromSyntaxErrorAt: position, message)
        }
    }

    /// Counts the lines up to a decompressed offset still in the buffer and
    /// returns its 1-based line number.
    func line(ofOffset offset: Int64) -> Int {
        let position = Int(offset - bufferOffset)
        let counted = UnsafeBufferPointer(rebasing: buffer[..<max(0, min(position, end))])
        return linesBeforeBuffer + 1 + ASCII.newlineCount(in: counted)
    }

    // MARK: - Document structure

    private func scanNextRecord(scanner: UnsafeMutablePointer<FieldScanner>?) throws(ScanFailure) -> Record? {
        while true {
            switch state {
            case .topLevel:
                if isAtEndOfInput && allWhitespace(from: start) { return nil }
                let position = try skipWhitespaceBetweenValues()
                switch buffer[position] {
                case ASCII.openBrace:
                    if let isEvents = try wrapperKey(at: position) {
                        state = .wrapperArray(isEvents: isEvents)
                        sawWrapper = true
                        start = try skipWhitespace(from: try afterWrapperKey(at: position)) + 1
                        continue
                    }
                    let (recordEnd, shape) = try recordEnd(from: position, scanner: scanner)
                    start = recordEnd
                    return record(from: position, to: recordEnd, shape: shape)
                case ASCII.openBracket:
                    state = .topLevelArray
                    start = position + 1
                case let byte:
                    throw ScanFailure.syntax(position: position, message: "expected a JSON object or array, found \(describe(byte))")
                }
            case .wrapperArray(let isEvents):
                guard let position = try nextArrayElement() else {
                    state = .afterWrapperArray
                    continue
                }
                if isEvents {
                    let elementEnd = try skipValue(from: position)
                    start = elementEnd
                    return try lookupEventsRecord(from: position, to: elementEnd)
                }
                let (elementEnd, shape) = try recordEnd(from: position, scanner: scanner)
                start = elementEnd
                return record(from: position, to: elementEnd, shape: shape)
            case .topLevelArray:
                guard let position = try nextArrayElement() else {
                    state = .topLevel
                    continue
                }
                let (elementEnd, shape) = try recordEnd(from: position, scanner: scanner)
                start = elementEnd
                return record(from: position, to: elementEnd, shape: shape)
            case .afterWrapperArray:
                start = try skipRemainingMembers(from: start)
                state = .topLevel
            }
        }
    }

    /// Whether the object at `position` starts with a `"Records": [` or
    /// `"Events": [` member: returns `false` for Records, `true` for Events,
    /// nil for anything else.
    private func wrapperKey(at position: Int) throws(ScanFailure) -> Bool? {
        let keyStart = try skipWhitespace(from: position + 1)
        guard buffer[keyStart] == ASCII.quote else { return nil }
        let keyEnd = try skipString(from: keyStart)
        let key = UnsafeBufferPointer(rebasing: buffer[keyStart + 1..<keyEnd - 1])
        let isEvents: Bool
        if ASCII.equals(key, "Records") {
            isEvents = false
        } else if ASCII.equals(key, "Events") {
            isEvents = true
        } else {
            return nil
        }
        let colon = try skipWhitespace(from: keyEnd)
        guard buffer[colon] == ASCII.colon else { return nil }
        let value = try skipWhitespace(from: colon + 1)
        return buffer[value] == ASCII.openBracket ? isEvents : nil
    }

    /// The position of the `[` that opens the wrapper array of the object at `position`.
    private func afterWrapperKey(at position: Int) throws(ScanFailure) -> Int {
        let keyEnd = try skipString(from: try skipWhitespace(from: position + 1))
        return try skipWhitespace(from: keyEnd) + 1
    }

    /// Moves past a `,` or the closing `]`; returns the next element's
    /// position, or nil after the closing bracket.
    private func nextArrayElement() throws(ScanFailure) -> Int? {
        var position = try skipWhitespaceBetweenValues()
        switch buffer[position] {
        case ASCII.closeBracket:
            start = position + 1
            return nil
        case ASCII.comma:
            position = try skipWhitespace(from: position + 1)
            if buffer[position] == ASCII.closeBracket {
                throw ScanFailure.syntax(position: position, message: "trailing comma before ']'")
            }
            return position
        default:
            return position
        }
    }

    /// Skips the members that follow the wrapper array, up to the closing `}`.
    private func skipRemainingMembers(from position: Int) throws(ScanFailure) -> Int {
        var position = try skipWhitespace(from: position)
        while buffer[position] == ASCII.comma {
            let key = try skipWhitespace(from: position + 1)
            guard buffer[key] == ASCII.quote else {
                throw ScanFailure.syntax(position: key, message: "expected an object key")
            }
            let colon = try skipWhitespace(from: try skipString(from: key))
            guard buffer[colon] == ASCII.colon else {
                throw ScanFailure.syntax(position: colon, message: "expected ':' after an object key")
            }
            position = try skipWhitespace(from: try skipValue(from: try skipWhitespace(from: colon + 1)))
        }
        guard buffer[position] == ASCII.closeBrace else {
            throw ScanFailure.syntax(position: position, message: "expected ',' or '}' after the records array")
        }
        return position + 1
    }

    private func record(from position: Int, to recordEnd: Int, shape: FieldScanner.Shape? = nil) -> Record {
        Record(
            bytes: UnsafeBufferPointer(rebasing: buffer[position..<recordEnd]),
            offset: bufferOffset + Int64(position), isLookupEventsItem: false, scannedShape: shape)
    }

    /// Returns the end of the record that starts at `position`, and its
    /// shape when `scanner` read it whole from the buffered data.
    private func recordEnd(
        from position: Int, scanner: UnsafeMutablePointer<FieldScanner>?
    ) throws(ScanFailure) -> (Int, FieldScanner.Shape?) {
        if skipProgress == nil, let scanner, buffer[position] == ASCII.openBrace,
           let (shape, length) = try? scanner.pointee.scanFirstRecord(in: UnsafeBufferPointer(rebasing: buffer[position..<end]))
        {
            return (position + length, shape)
        }
        return (try skipValue(from: position), nil)
    }

    /// A lookup-events item is passed on whole; the field scanner finds and
    /// decodes its `CloudTrailEvent` string.
    private func lookupEventsRecord(from position: Int, to elementEnd: Int) throws(ScanFailure) -> Record {
        var record = record(from: position, to: elementEnd)
        record.isLookupEventsItem = true
        return record
    }

    // MARK: - Structural scanning

    private func skipWhitespace(from position: Int) throws(ScanFailure) -> Int {
        var position = position
        while position < end {
            if !ASCII.isWhitespace(buffer[position]) { return position }
            position += 1
        }
        throw ScanFailure.needMoreData
    }

    /// Skips whitespace from `start` to the next value. When the buffered
    /// data ends first, the whitespace is consumed, so that padding between
    /// records never has to fit in the buffer.
    private func skipWhitespaceBetweenValues() throws(ScanFailure) -> Int {
        do {
            return try skipWhitespace(from: start)
        } catch {
            start = end
            throw error
        }
    }

    /// Returns the position after the string that starts at `position`.
    private func skipString(from position: Int) throws(ScanFailure) -> Int {
        let (stringEnd, isClosed) = try scanStringContents(from: position + 1)
        guard isClosed else { throw ScanFailure.needMoreData }
        return stringEnd
    }

    /// Scans string contents from `position` to the closing quote. Returns
    /// the position after the quote and true, or, when the buffered data ends
    /// first, the position to resume from and false.
    private func scanStringContents(from position: Int) throws(ScanFailure) -> (position: Int, isClosed: Bool) {
        var position = position
        let base = UnsafePointer(buffer.baseAddress!)
        while position < end {
            position = ASCII.firstStringSpecial(in: base, from: position, to: end)
            guard position < end else { break }
            let byte = base[position]
            if byte == ASCII.quote { return (position + 1, true) }
            if byte == ASCII.backslash {
                position += 2
                continue
            }
            if byte < 0x20 {
                throw ScanFailure.syntax(position: position, message: "control character \(describe(byte)) inside a string")
            }
            position += 1
        }
        return (position, false)
    }

    /// Returns the position after the value that starts at `start`, matching
    /// brackets and skipping strings. A scan that runs out of buffered data
    /// saves its state in `skipProgress`, and the next call for the same value
    /// resumes from there.
    private func skipValue(from start: Int) throws(ScanFailure) -> Int {
        let first = buffer[start]
        guard first == ASCII.quote || first == ASCII.openBrace || first == ASCII.openBracket else {
            let scalarEnd = try skipScalar(from: start)
            guard scalarEnd > start else {
                throw ScanFailure.syntax(position: start, message: "expected a value, found \(describe(first))")
            }
            return scalarEnd
        }

        var position = start
        var depth = 0
        var isInString = false
        if let progress = skipProgress, progress.valueStart == bufferOffset + Int64(start) {
            position = Int(progress.position - bufferOffset)
            depth = progress.depth
            isInString = progress.isInString
        }
        skipProgress = nil

        while true {
            if isInString {
                let (stringEnd, isClosed) = try scanStringContents(from: position)
                position = stringEnd
                guard isClosed else { break }
                isInString = false
                if depth == 0 { return position }
                continue
            }
            guard position < end else { break }
            switch buffer[position] {
            case ASCII.quote:
                isInString = true
            case ASCII.openBrace, ASCII.openBracket:
                depth += 1
                if depth > FieldScanner.maximumDepth {
                    throw ScanFailure.syntax(position: position, message: "nesting deeper than \(FieldScanner.maximumDepth) levels")
                }
            case ASCII.closeBrace, ASCII.closeBracket:
                depth -= 1
                if depth == 0 { return position + 1 }
            default:
                break
            }
            position += 1
        }

        skipProgress = SkipProgress(
            valueStart: bufferOffset + Int64(start), position: bufferOffset + Int64(position),
            depth: depth, isInString: isInString)
        throw ScanFailure.needMoreData
    }

    private func skipScalar(from position: Int) throws(ScanFailure) -> Int {
        var position = position
        while position < end {
            let byte = buffer[position]
            if ASCII.isWhitespace(byte) || byte == ASCII.comma || byte == ASCII.closeBrace || byte == ASCII.closeBracket {
                return position
            }
            position += 1
        }
        if isAtEndOfInput { return position }
        throw ScanFailure.needMoreData
    }

    private func allWhitespace(from position: Int) -> Bool {
        (position..<end).allSatisfy { ASCII.isWhitespace(buffer[$0]) }
    }

    // MARK: - Buffer and errors

    private func readMore() throws(InputError) {
        guard let source else {
            isAtEndOfInput = true
            return
        }
        // A file decoded whole is read in place rather than copied in.
        if bufferOffset == 0 && end == 0, let file = try source.takeWholeOutput() {
            buffer.deallocate()
            buffer = file.buffer
            decodedFile = file
            end = file.count
            isAtEndOfInput = true
            return
        }
        if start > 0 {
            linesBeforeBuffer += ASCII.newlineCount(in: UnsafeBufferPointer(rebasing: buffer[..<start]))
            let remaining = end - start
            if remaining > 0 { buffer.baseAddress!.update(from: buffer.baseAddress! + start, count: remaining) }
            bufferOffset += Int64(start)
            end = remaining
            start = 0
        }
        if end == buffer.count {
            guard buffer.count < Self.maximumRecordSize else {
                throw error(at: 0, "a record is larger than \(Self.maximumRecordSize >> 20) MiB",
                            hint: "split the input or check that it is CloudTrail JSON")
            }
            let larger = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: buffer.count * 2)
            larger.baseAddress!.update(from: buffer.baseAddress!, count: end)
            buffer.deallocate()
            buffer = larger
        }
        let count = try source.read(into: UnsafeMutableBufferPointer(rebasing: buffer[end...]))
        if count == 0 { isAtEndOfInput = true }
        end += count
    }

    private func recover(fromSyntaxErrorAt position: Int, _ message: String) throws(InputError) {
        let problem = error(at: position, message, hint: nil)
        switch state {
        case .topLevel:
            // Line-oriented input: drop the rest of this line and go on.
            problemCount += 1
            if problems.count < 10 { problems.append(problem) }
            try skipLine(from: position)
        default:
            throw error(at: position, message, hint: "the file is damaged or not CloudTrail JSON")
        }
    }

    private func skipLine(from position: Int) throws(InputError) {
        var position = position
        while true {
            while position < end {
                if buffer[position] == ASCII.newline {
                    start = position + 1
                    return
                }
                position += 1
            }
            if isAtEndOfInput {
                start = end
                return
            }
            // The skipped bytes are not needed again, so a long line of
            // garbage never has to fit in the buffer.
            start = position
            try readMore()
            position = start
        }
    }

    private func error(at position: Int, _ message: String, hint: String?) -> InputError {
        let offset = bufferOffset + Int64(position)
        return InputError(path: path, location: "line \(line(ofOffset: offset)), byte \(offset)",
                          message: message, hint: hint)
    }

    private func describe(_ byte: UInt8) -> String {
        if byte >= 0x21 && byte < 0x7F { return "'\(Character(Unicode.Scalar(byte)))'" }
        return "byte 0x" + String(byte, radix: 16, uppercase: true)
    }
}
