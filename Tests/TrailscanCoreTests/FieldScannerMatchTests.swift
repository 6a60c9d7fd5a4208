import EventPatterns
import Testing

@testable import TrailscanCore

/// Wraps a parsed CloudTrail record in the EventBridge envelope that
/// EventBridge delivers it in, written independently of the scanner's own
/// derivation so the two can be compared.
func envelope(for record: JSONValue) -> JSONValue {
    var members = [JSONMember(key: "version", value: .string("0"))]
    if let id = record["eventID"]?.stringValue {
        members.append(JSONMember(key: "id", value: .string(id)))
    }
    let detailTypes = [
        "AwsApiCall": "AWS API Call via CloudTrail",
        "AwsConsoleSignIn": "AWS Console Sign In via CloudTrail",
        "AwsServiceEvent": "AWS Service Event via CloudTrail",
    ]
    if let type = record["eventType"]?.stringValue, let detailType = detailTypes[type] {
        members.append(JSONMember(key: "detail-type", value: .string(detailType)))
    }
    if let source = record["eventSource"]?.stringValue {
        let service = source.split(separator: ".").first.map(String.init) ?? source
        members.append(JSONMember(key: "source", value: .string("aws." + service)))
    }
    for (envelopeKey, recordKey) in [("account", "recipientAccountId"), ("time", "eventTime"), ("region", "awsRegion")] {
        if let value = record[recordKey]?.stringValue {
            members.append(JSONMember(key: envelopeKey, value: .string(value)))
        }
    }
    members.append(JSONMember(key: "detail", value: record))
    return .object(members)
}

/// Scans the bytes of `text` and returns whether the matcher finds `pattern` in them.
func scannerMatches(_ pattern: Pattern, text: String) throws -> Bool {
    let matcher = PatternMatcher([pattern])
    var scanner = FieldScanner(trie: FieldTrie(matcherPaths: matcher.fieldPaths))
    let bytes = Array(text.utf8)
    var hits: [Int] = []
    try bytes.withUnsafeBufferPointer { buffer throws(FieldScanner.SyntaxError) in
        _ = try scanner.scan(buffer)
        matcher.matchingPatterns(in: scanner.event, into: &hits)
    }
    return hits == [0]
}

/// A record, a pattern, and whether they match under EventBridge rules.
struct MatchCase: Sendable, CustomTestStringConvertible {
    var name: String
    var record: String
    var pattern: String
    var expected: Bool

    var testDescription: String { name }
}

let baseRecord = """
    "eventVersion":"1.08","eventTime":"2024-03-10T09:00:00Z","eventSource":"sts.amazonaws.com",
    "awsRegion":"eu-west-1","eventID":"e-1","eventType":"AwsApiCall","recipientAccountId":"111122223333",
    "sourceIPAddress":"203.0.113.9","readOnly":false
    """

let matchCases: [MatchCase] = [
    MatchCase(
        name: "source and eventName", record: #"{"# + baseRecord + #","eventName":"AssumeRole"}"#,
        pattern: #"{"source":["aws.sts"],"detail":{"eventName":["AssumeRole"]}}"#, expected: true),
    MatchCase(
        name: "other eventName", record: #"{"# + baseRecord + #","eventName":"GetCallerIdentity"}"#,
        pattern: #"{"source":["aws.sts"],"detail":{"eventName":["AssumeRole"]}}"#, expected: false),
    MatchCase(
        name: "detail-type of a sign-in",
        record: #"{"eventTime":"2024-03-10T09:00:00Z","eventType":"AwsConsoleSignIn","eventName":"ConsoleLogin"}"#,
        pattern: #"{"detail-type":["AWS Console Sign In via CloudTrail"]}"#, expected: true),
    MatchCase(
        name: "prefix", record: #"{"# + baseRecord + #","eventName":"DeleteTrail"}"#,
        pattern: #"{"detail":{"eventName":[{"prefix":"Delete"}]}}"#, expected: true),
    MatchCase(
        name: "anything-but excludes", record: #"{"# + baseRecord + #","errorCode":"AccessDenied"}"#,
        pattern: #"{"detail":{"errorCode":[{"anything-but":["AccessDenied"]}]}}"#, expected: false),
    MatchCase(
        name: "exists false on absent field", record: #"{"# + baseRecord + "}",
        pattern: #"{"detail":{"errorCode":[{"exists":false}]}}"#, expected: true),
    MatchCase(
        name: "numeric range", record: #"{"# + baseRecord + #","requestParameters":{"durationSeconds":43200}}"#,
        pattern: #"{"detail":{"requestParameters":{"durationSeconds":[{"numeric":[">",3600]}]}}}"#, expected: true),
    MatchCase(
        name: "fields from different array elements",
        record: #"{"# + baseRecord
            + #","requestParameters":{"items":[{"fromPort":22,"cidrIp":"10.0.0.0/8"},{"fromPort":443,"cidrIp":"0.0.0.0/0"}]}}"#,
        pattern: #"{"detail":{"requestParameters":{"items":{"fromPort":[22],"cidrIp":["0.0.0.0/0"]}}}}"#, expected: false),
    MatchCase(
        name: "fields from one array element",
        record: #"{"# + baseRecord
            + #","requestParameters":{"items":[{"fromPort":443,"cidrIp":"10.0.0.0/8"},{"fromPort":22,"cidrIp":"0.0.0.0/0"}]}}"#,
        pattern: #"{"detail":{"requestParameters":{"items":{"fromPort":[22],"cidrIp":["0.0.0.0/0"]}}}}"#, expected: true),
    MatchCase(
        name: "$or alternative", record: #"{"# + baseRecord + #","eventName":"DeleteTrail"}"#,
        pattern: #"{"$or":[{"detail":{"eventName":["StopLogging"]}},{"detail":{"eventName":["DeleteTrail"]}}]}"#,
        expected: true),
    MatchCase(
        name: "escaped string value", record: #"{"# + baseRecord + #","requestParameters":{"userName":"caf\u00e9"}}"#,
        pattern: #"{"detail":{"requestParameters":{"userName":["café"]}}}"#, expected: true),
    MatchCase(
        name: "dotted record key", record: #"{"# + baseRecord + #","additionalEventData.MFAUsed":"No"}"#,
        pattern: #"{"detail":{"additionalEventData":{"MFAUsed":["No"]}}}"#, expected: true),
    MatchCase(
        name: "account and region", record: #"{"# + baseRecord + "}",
        pattern: #"{"account":["111122223333"],"region":["us-east-1"]}"#, expected: false),
    MatchCase(
        name: "wildcard on an ARN",
        record: #"{"# + baseRecord + #","userIdentity":{"type":"Root","arn":"arn:aws:iam::111122223333:root"}}"#,
        pattern: #"{"detail":{"userIdentity":{"arn":[{"wildcard":"arn:aws:iam::*:root"}]}}}"#, expected: true),
    MatchCase(
        name: "null value", record: #"{"# + baseRecord + #","errorCode":null}"#,
        pattern: #"{"detail":{"errorCode":[null]}}"#, expected: true),
    MatchCase(
        name: "boolean value", record: #"{"# + baseRecord + "}",
        pattern: #"{"detail":{"readOnly":[false]}}"#, expected: true),
    MatchCase(
        name: "cidr", record: #"{"# + baseRecord + "}",
        pattern: #"{"detail":{"sourceIPAddress":[{"cidr":"203.0.113.0/24"}]}}"#, expected: true),
    MatchCase(
        name: "exists true on a null", record: #"{"# + baseRecord + #","errorCode":null}"#,
        pattern: #"{"detail":{"errorCode":[{"exists":true}]}}"#, expected: true),
]

@Suite("FieldScanner matching")
struct FieldScannerMatchTests {
    @Test("bare record matches like JSONValue", arguments: matchCases)
    func bareRecord(testCase: MatchCase) throws {
        let pattern = try Pattern(parsing: testCase.pattern)
        let reference = pattern.matches(envelope(for: try JSONValue(parsing: testCase.record)))
        #expect(reference == testCase.expected)
        #expect(try scannerMatches(pattern, text: testCase.record) == testCase.expected)
    }

    @Test("envelope matches like JSONValue", arguments: matchCases)
    func envelopeBytes(testCase: MatchCase) throws {
        let pattern = try Pattern(parsing: testCase.pattern)
        let wrapped = envelope(for: try JSONValue(parsing: testCase.record))
        #expect(pattern.matches(wrapped) == testCase.expected)
        #expect(try scannerMatches(pattern, text: wrapped.serialized) == testCase.expected)
    }
}
