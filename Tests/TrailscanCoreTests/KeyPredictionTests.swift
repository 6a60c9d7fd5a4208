import EventPatterns
import Testing

@testable import TrailscanCore

/// The field scanner predicts each object key from the key before it. These
/// tests scan many records through one scanner, so that predictions from
/// earlier records are in place, and compare every result with a fresh
/// scanner's.
@Suite("FieldScanner key prediction")
struct KeyPredictionTests {
    static let paths = [
        "detail.eventName", "detail.eventSource", "detail.userIdentity.type", "detail.requestParameters.bucketName",
        "detail.requestParameters.aVeryLongParameterNameOfMoreThan32Bytes", "detail.errorCode", "source",
    ].map { FieldPath(dotted: $0) }

    static let records = [
        #"{"eventTime":"2024-03-01T10:00:00Z","eventSource":"s3.amazonaws.com","eventName":"GetObject","userIdentity":{"type":"IAMUser"},"requestParameters":{"bucketName":"b1"}}"#,
        #"{"eventTime":"2024-03-01T10:00:01Z","eventSource":"s3.amazonaws.com","eventName":"PutObject","userIdentity":{"type":"Root"},"requestParameters":{"bucketName":"b2"}}"#,
        // A key that extends the predicted one, and one that is its prefix.
        #"{"eventTime":"2024-03-01T10:00:02Z","eventSourceX":"x","eventName":"A","userIdentity":{"type":"IAMUser"}}"#,
        #"{"eventTime":"2024-03-01T10:00:03Z","eventSourc":"y","eventName":"B","userIdentity":{"type":"IAMUser"}}"#,
        // The predicted key spelled with an escape.
        #"{"eventTime":"2024-03-01T10:00:04Z","eventSource":"s3.amazonaws.com","event\u004eame":"Escaped"}"#,
        // An optional key shifts the rest.
        #"{"eventTime":"2024-03-01T10:00:05Z","errorCode":"AccessDenied","eventSource":"s3.amazonaws.com","eventName":"C"}"#,
        // A key longer than a prediction holds.
        #"{"eventTime":"2024-03-01T10:00:06Z","requestParameters":{"aVeryLongParameterNameOfMoreThan32Bytes":"long","bucketName":"b3"}}"#,
        #"{"eventTime":"2024-03-01T10:00:07Z","requestParameters":{"aVeryLongParameterNameOfMoreThan32Bytes":"long2","bucketName":"b4"}}"#,
        // Keys that differ from the prediction in their last byte or in length only.
        #"{"eventTime":"2024-03-01T10:00:08Z","eventSourcf":"z","eventNamE":"D"}"#,
        // Invalid after a predicted key: a control byte in the next key, and a key without its closing quote.
        "{\"eventTime\":\"2024-03-01T10:00:09Z\",\"eventSource\":\"s3.amazonaws.com\",\"event\u{01}Name\":\"E\"}",
        #"{"eventTime":"2024-03-01T10:00:10Z","eventSource":"s3.amazonaws.com","eventName"#,
        #"{"eventTime":"2024-03-01T10:00:11Z","eventSource":"s3.amazonaws.com","eventName""#,
        // A key equal to the prediction but not followed by a colon.
        #"{"eventTime":"2024-03-01T10:00:12Z","eventSource" "s3.amazonaws.com"}"#,
        // The same keys under two nodes, only one of which has a path for `type`.
        #"{"eventTime":"2024-03-01T10:00:14Z","requestParameters":{"type":"not a leaf","bucketName":"b5"},"userIdentity":{"type":"Root","bucketName":"not a leaf"}}"#,
        // An envelope, whose keys are predicted under another node.
        #"{"version":"0","detail-type":"AWS API Call via CloudTrail","source":"aws.s3","detail":{"eventTime":"2024-03-01T10:00:13Z","eventName":"F"}}"#,
    ]

    /// Returns the scan of `text` by `scanner` as comparable text: shape,
    /// leaves and core fields, or the syntax error and its offset.
    private static func outcome(_ text: String, with scanner: inout FieldScanner) -> String {
        [UInt8](text.utf8).withUnsafeBufferPointer { buffer -> String in
            do throws(FieldScanner.SyntaxError) {
                let shape = try scanner.scan(buffer)
                let leaves = scanner.event.leaves.map { describeLeaf($0, in: scanner.event, paths: paths) }
                let core = CoreField.allCases.compactMap { field in scanner.string(field).map { "\(field)=\($0)" } }
                return (["\(shape)"] + leaves + core).joined(separator: "\n")
            } catch {
                return "error at \(error.offset): \(error.message)"
            }
        }
    }

    @Test("one scanner agrees with fresh scanners in any record order")
    func predictionsChangeNothing() {
        let trie = FieldTrie(matcherPaths: Self.paths)
        let orders = [Array(Self.records.indices), Self.records.indices.reversed(), Array(Self.records.indices) + Array(Self.records.indices)]
        for order in orders {
            var shared = FieldScanner(trie: trie)
            for index in order {
                var fresh = FieldScanner(trie: trie)
                let expected = Self.outcome(Self.records[index], with: &fresh)
                #expect(Self.outcome(Self.records[index], with: &shared) == expected, "record \(index)")
            }
        }
    }

    @Test("predicted keys still extract their values")
    func predictedValues() {
        var scanner = FieldScanner(trie: FieldTrie(matcherPaths: Self.paths))
        _ = Self.outcome(Self.records[0], with: &scanner)
        let second = Self.outcome(Self.records[1], with: &scanner)
        #expect(second.contains(#"detail.eventName="PutObject""#))
        #expect(second.contains(#"detail.userIdentity.type="Root""#))
        #expect(second.contains(#"detail.requestParameters.bucketName="b2""#))
        let escaped = Self.outcome(Self.records[4], with: &scanner)
        #expect(escaped.contains(#"detail.eventName="Escaped""#))
        let long = Self.outcome(Self.records[7], with: &scanner)
        #expect(long.contains(#"detail.requestParameters.aVeryLongParameterNameOfMoreThan32Bytes="long2""#))
        #expect(long.contains(#"detail.requestParameters.bucketName="b4""#))
    }
}
