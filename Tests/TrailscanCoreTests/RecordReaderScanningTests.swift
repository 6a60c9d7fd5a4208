import EventPatterns
import Testing

@testable import TrailscanCore

/// `RecordReader.next(scanningWith:)` must return what `next()` returns,
/// and leave the scanner as a fresh scan of each record would.
@Suite("RecordReader scanning records on the way")
struct RecordReaderScanningTests {
    /// One record as read, with what the scanner held for it.
    struct Read: Equatable {
        var text: String
        var offset: Int64
        var isLookupEventsItem: Bool
        var shape: String
        var coreFields: [String?]
        var leafCount: Int
        var leafBytes: [UInt8]
    }

    static let trie = FieldTrie(matcherPaths: [
        FieldPath(["detail", "eventName"]), FieldPath(["source"]), FieldPath(["detail", "requestParameters", "bucketName"]),
    ])

    /// Reads `text` through a buffer of `capacity` bytes, scanning each
    /// record on the way or afterwards. Returns the records, how many of
    /// them the reader scanned itself, and the problems and failure.
    func read(_ text: String, capacity: Int, scanningOnTheWay: Bool) throws -> (reads: [Read], scanned: Int, problems: [String]) {
        try withTemporaryDirectory { directory in
            let path = try writeFile(Array(text.utf8), named: "input.json", in: directory)
            let reader = RecordReader(source: try DecompressingReader(path: path), initialCapacity: capacity)
            var scanner = FieldScanner(trie: Self.trie)
            var reads: [Read] = []
            var scanned = 0
            var problems: [String] = []
            do throws(InputError) {
                while let record = try (scanningOnTheWay ? reader.next(scanningWith: &scanner) : reader.next()) {
                    var shape = "invalid"
                    if let known = record.scannedShape {
                        scanned += 1
                        shape = "\(known)"
                    } else if let fresh = try? scanner.scan(record.bytes) {
                        shape = "\(fresh)"
                    }
                    reads.append(Read(
                        text: String(decoding: record.bytes, as: UTF8.self), offset: record.offset,
                        isLookupEventsItem: record.isLookupEventsItem, shape: shape,
                        coreFields: shape == "invalid" ? [] : CoreField.allCases.map { scanner.string($0) },
                        leafCount: shape == "invalid" ? 0 : scanner.event.leaves.count,
                        leafBytes: shape == "invalid" ? [] : scanner.event.bytes))
                }
            } catch {
                problems.append("failure: \(error.detail)")
            }
            problems += reader.problems.map(\.detail)
            return (reads, scanned, problems)
        }
    }

    static let inputs: [(name: String, text: String)] = [
        ("Records wrapper", #"{"Records":[{"eventTime":"2024-03-01T10:00:00Z","eventName":"A","eventID":"1"},"#
            + #" {"eventTime":"2024-03-01T10:00:01Z","eventName":"B","requestParameters":{"bucketName":"b"}}],"x":1}"#),
        ("NDJSON with a garbage line", "{\"eventName\":\"A\",\"eventType\":\"AwsApiCall\"}\nnot json\n{\"eventName\":\"B\"}\n"),
        ("NDJSON with a bad record", "{\"eventName\":\"A\",\"n\":01}\n{\"eventName\":\"B\"}\n"),
        ("top-level array", #"[{"eventName":"A"}, {"eventName":"B","userIdentity":{"type":"Root"}}]"#),
        ("EventBridge envelopes", "{\"version\":\"0\",\"detail-type\":\"AWS API Call via CloudTrail\",\"source\":\"aws.s3\","
            + "\"detail\":{\"eventName\":\"PutObject\"}}\n{\"source\":\"x\",\"detail\":{\"eventName\":\"C\"}}\n"),
        ("envelope that starts like a record", "{\"eventName\":\"E\",\"detail-type\":\"T\",\"detail\":{\"eventName\":\"D\"}}\n"),
        ("lookup-events items", #"{"Events":[{"EventId":"1","CloudTrailEvent":"{\"eventName\":\"L\"}"}]}"#),
        ("truncated Records", #"{"Records":[{"eventName":"A"},{"eventName":"#),
        ("escapes and long strings", "{\"eventName\":\"a\\\"b\\\\c\\u0041\",\"x\":\"" + String(repeating: "y", count: 300) + "\"}\n"),
    ]

    @Test("both ways read the same records and fields", arguments: inputs.map(\.name), [16, 64, 1 << 20])
    func sameResults(name: String, capacity: Int) throws {
        let text = try #require(Self.inputs.first { $0.name == name }?.text)
        let plain = try read(text, capacity: capacity, scanningOnTheWay: false)
        let scanning = try read(text, capacity: capacity, scanningOnTheWay: true)
        #expect(scanning.reads == plain.reads)
        #expect(scanning.problems == plain.problems)
        #expect(plain.scanned == 0)
    }

    @Test("records found whole in the buffer are scanned once")
    func scannedOnTheWay() throws {
        let text = (0..<50).map { #"{"eventName":"E\#($0)","eventTime":"2024-03-01T10:00:00Z"}"# }.joined(separator: "\n")
        let result = try read(text, capacity: 1 << 20, scanningOnTheWay: true)
        #expect(result.reads.count == 50)
        #expect(result.scanned == 50)
        #expect(result.reads[49].coreFields[CoreField.eventName.rawValue] == "E49")
    }
}
