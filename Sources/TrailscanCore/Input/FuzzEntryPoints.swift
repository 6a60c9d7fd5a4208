import EventPatterns
import Glibc

/// Entry points for the libFuzzer targets in `Fuzz/`, which are built as
/// separate executables and so cannot reach this module's internal types.
///
/// Each function runs one input through the code a scan runs and discards the
/// result. A fuzzer finds bugs as crashes, sanitizer reports or hangs, so the
/// functions return nothing. They are public only for the fuzz targets and the
/// regression tests; scans never call them.
public enum FuzzEntryPoints {
    /// Patterns whose field paths the field scanner extracts: core CloudTrail
    /// fields, an array of objects, an envelope field and a dotted key.
    private static let matcher: PatternMatcher = {
        let sources = [
            #"{"detail": {"eventName": ["ConsoleLogin"], "userIdentity": {"type": ["Root"]}}}"#,
            #"{"detail": {"requestParameters": {"policyDocument": [{"wildcard": "*Allow*"}]}}}"#,
            #"{"detail": {"resources": {"ARN": [{"prefix": "arn:aws:s3"}], "type": ["AWS::S3::Object"]}}}"#,
            #"{"source": ["aws.iam"], "detail-type": [{"anything-but": "x"}]}"#,
            #"{"detail": {"additionalEventData.bytesTransferredOut": [{"numeric": [">", 0]}]}}"#,
            #"{"detail": {"sourceIPAddress": [{"cidr": "10.0.0.0/8"}], "errorCode": [{"exists": true}]}}"#,
        ]
        // The sources are constant and valid, so a failure here is a bug in this list.
        let patterns = sources.map { try! Pattern(parsing: $0) }
        return PatternMatcher(patterns)
    }()

    private static let trie = FieldTrie(matcherPaths: matcher.fieldPaths)

    /// Scans `bytes` as one record with the field scanner, then reads what
    /// the scan pipeline reads: every core field, the pattern matches, the
    /// decoded `CloudTrailEvent` string of a lookup-events item and the
    /// redacted copy of the record.
    public static func scanRecord(_ bytes: UnsafeRawBufferPointer) {
        var scanner = FieldScanner(trie: trie)
        var workspace = PatternMatcher.Workspace()
        bytes.withMemoryRebound(to: UInt8.self) { record in
            process(record, with: &scanner, workspace: &workspace)
        }
    }

    /// Reads `bytes` as the contents of an input file: gzip detection and
    /// inflation, record splitting, and the field scanner on every record.
    ///
    /// The bytes go through an unlinked temporary file, so the reader runs on
    /// a real descriptor as it does for files on disk. The decompressed size
    /// is capped at `maximumOutput` bytes. The file is read twice, decoded
    /// whole and streamed by zlib, and the two reads must return the same
    /// records and end the same way.
    public static func readInput(_ bytes: UnsafeRawBufferPointer, maximumOutput: Int64 = 64 << 20) {
        var template = Array("/tmp/trailscan-fuzz-XXXXXX".utf8CString)
        let descriptor = mkstemp(&template)
        precondition(descriptor >= 0, "mkstemp failed: \(String(cString: strerror(errno)))")
        unlink(template)
        defer { close(descriptor) }
        var written = 0
        while written < bytes.count {
            let count = write(descriptor, bytes.baseAddress! + written, bytes.count - written)
            precondition(count > 0, "write to the memory file failed: \(String(cString: strerror(errno)))")
            written += count
        }

        var outcomes: [[String]] = []
        for decodesWhole in [true, false] {
            precondition(lseek(descriptor, 0, SEEK_SET) == 0)
            let source = DecompressingReader(
                fileDescriptor: descriptor, name: "fuzz-input", maximumOutput: maximumOutput, decodesWhole: decodesWhole)
            let reader = RecordReader(source: source, initialCapacity: 4096)
            var scanner = FieldScanner(trie: trie)
            var workspace = PatternMatcher.Workspace()
            var outcome: [String] = []
            do {
                while let record = try reader.next() {
                    let checksum = record.bytes.reduce(UInt64(0)) { $0 &* 31 &+ UInt64($1) }
                    outcome.append("\(reader.line(ofOffset: record.offset)) \(record.offset) \(record.bytes.count) \(checksum)")
                    process(record.bytes, with: &scanner, workspace: &workspace)
                }
            } catch {
                outcome.append(error.detail)
            }
            outcomes.append(outcome)
        }
        precondition(outcomes[0] == outcomes[1], "whole-file decoding read \(outcomes[0]), streaming \(outcomes[1])")
    }

    private static func process(
        _ record: UnsafeBufferPointer<UInt8>, with scanner: inout FieldScanner, workspace: inout PatternMatcher.Workspace
    ) {
        guard let shape = try? scanner.scan(record) else { return }
        readResults(of: &scanner, workspace: &workspace)
        _ = Redaction.redacted(record)
        guard case .lookupEventsItem(let start, let end) = shape else { return }
        let decoded = scanner.decodedString(from: start, to: end)
        decoded.withUnsafeBufferPointer { inner in
            guard (try? scanner.scan(inner)) != nil else { return }
            readResults(of: &scanner, workspace: &workspace)
            _ = Redaction.redacted(inner)
        }
    }

    private static func readResults(of scanner: inout FieldScanner, workspace: inout PatternMatcher.Workspace) {
        for field in CoreField.allCases {
            _ = scanner.string(field)
            _ = scanner.rawBytes(field)
        }
        if let time = scanner.rawBytes(.eventTime) { _ = EventTime.parse(time) }
        var hits: [Int] = []
        matcher.matchingPatterns(in: scanner.event, into: &hits, using: &workspace)
    }
}
