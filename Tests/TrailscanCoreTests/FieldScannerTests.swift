import EventPatterns
import Testing

@testable import TrailscanCore

/// What a `FieldScanner` extracted from one record, copied out before the
/// record's bytes go away.
struct ScannedRecord {
    var shape: FieldScanner.Shape
    /// Leaves as `path=value`, with `@(array,index)` for each array position,
    /// in the order the scanner appended them.
    var leaves: [String]
    var core: [CoreField: String]
}

/// Renders one leaf as `path=value@(array,index)...`, strings quoted.
func describeLeaf(_ leaf: FlatEvent.Leaf, in event: FlatEvent, paths: [FieldPath]) -> String {
    var text = paths[Int(leaf.pathID)].description + "="
    switch leaf.kind {
    case .string: text += "\"" + String(decoding: event.stringBytes(of: leaf), as: UTF8.self) + "\""
    case .number: text += "\(leaf.number)"
    case .true: text += "true"
    case .false: text += "false"
    case .null: text += "null"
    }
    for position in event.arrayPositions(of: leaf) {
        text += "@(\(position.arrayID),\(position.index))"
    }
    return text
}

/// Scans `text` with a trie of the dotted `paths`.
func scanRecord(_ text: String, paths: [String]) throws(FieldScanner.SyntaxError) -> ScannedRecord {
    let fieldPaths = paths.map { FieldPath(dotted: $0) }
    var scanner = FieldScanner(trie: FieldTrie(matcherPaths: fieldPaths))
    let bytes = Array(text.utf8)
    return try bytes.withUnsafeBufferPointer { buffer throws(FieldScanner.SyntaxError) in
        let shape = try scanner.scan(buffer)
        var core: [CoreField: String] = [:]
        for field in CoreField.allCases {
            if let value = scanner.string(field) { core[field] = value }
        }
        let leaves = scanner.event.leaves.map { describeLeaf($0, in: scanner.event, paths: fieldPaths) }
        return ScannedRecord(shape: shape, leaves: leaves, core: core)
    }
}

/// Returns the syntax error that scanning `text` throws, or nil.
func scanError(_ text: String, paths: [String] = []) -> FieldScanner.SyntaxError? {
    do {
        _ = try scanRecord(text, paths: paths)
        return nil
    } catch {
        return error
    }
}

@Suite("FieldScanner")
struct FieldScannerTests {
    static let envelopePaths = ["source", "detail-type", "account", "region", "time", "id", "version", "detail.eventName"]

    static let bareRecord = """
        {"eventVersion":"1.08","eventTime":"2024-03-01T10:00:00Z","eventSource":"sts.amazonaws.com",
         "eventName":"AssumeRole","awsRegion":"us-east-1","eventID":"e-1","eventType":"AwsApiCall",
         "recipientAccountId":"111122223333"}
        """

    @Test("bare record gets synthesized envelope leaves")
    func bareRecordEnvelope() throws {
        let scanned = try scanRecord(Self.bareRecord, paths: Self.envelopePaths)
        #expect(scanned.shape == .record)
        #expect(
            scanned.leaves.sorted() == [
                #"account="111122223333""#,
                #"detail-type="AWS API Call via CloudTrail""#,
                #"detail.eventName="AssumeRole""#,
                #"id="e-1""#,
                #"region="us-east-1""#,
                #"source="aws.sts""#,
                #"time="2024-03-01T10:00:00Z""#,
                #"version="0""#,
            ])
    }

    @Test(
        "bare record source and detail-type",
        arguments: [
            (#""eventSource":"sts.amazonaws.com","eventType":"AwsServiceEvent""#,
             [#"detail-type="AWS Service Event via CloudTrail""#, #"source="aws.sts""#]),
            (#""eventSource":"s3\u002eamazonaws.com","eventType":"AwsConsoleSignIn""#,
             [#"detail-type="AWS Console Sign In via CloudTrail""#, #"source="aws.s3""#]),
            (#""eventSource":"partner.example","eventType":"AwsCloudTrailInsight""#,
             [#"detail-type="AWS Insight via CloudTrail""#, #"source="aws.partner.example""#]),
            (#""eventSource":".amazonaws.com","eventType":"Unknown""#, [#"source="aws.""#]),
            (#""eventSource":42,"eventType":null"#, [#"source="aws.42""#]),
        ])
    func bareRecordSource(members: String, expected: [String]) throws {
        let record = #"{"eventTime":"2024-03-01T10:00:00Z","# + members + "}"
        let scanned = try scanRecord(record, paths: ["source", "detail-type"])
        #expect(scanned.leaves.sorted() == expected)
    }

    @Test("envelope leaves come from the envelope")
    func envelopeLeaves() throws {
        let text = """
            {"version":"0","id":"env-id","detail-type":"AWS API Call via CloudTrail","source":"aws.sts",
             "account":"444455556666","time":"2024-03-01T10:00:01Z","region":"eu-west-1","resources":[],
             "detail":\(Self.bareRecord)}
            """
        let scanned = try scanRecord(text, paths: Self.envelopePaths)
        #expect(scanned.shape == .envelope)
        #expect(
            scanned.leaves.sorted() == [
                #"account="444455556666""#,
                #"detail-type="AWS API Call via CloudTrail""#,
                #"detail.eventName="AssumeRole""#,
                #"id="env-id""#,
                #"region="eu-west-1""#,
                #"source="aws.sts""#,
                #"time="2024-03-01T10:00:01Z""#,
                #"version="0""#,
            ])
        #expect(scanned.core[.eventID] == "e-1")
        #expect(scanned.core[.awsRegion] == "us-east-1")
    }

    @Test("envelope whose first key is detail")
    func envelopeDetailFirst() throws {
        let text = #"{"detail":{"eventName":"StopLogging"},"detail-type":"X","source":"aws.cloudtrail"}"#
        let scanned = try scanRecord(text, paths: ["detail.eventName", "source"])
        #expect(scanned.shape == .envelope)
        #expect(scanned.leaves == [#"detail.eventName="StopLogging""#, #"source="aws.cloudtrail""#])
        #expect(scanned.core[.eventName] == "StopLogging")
    }

    @Test("envelope keys after a record key")
    func envelopeGuessedWrong() throws {
        let text = #"{"x":1,"detail-type":"X","detail":{"eventName":"Y"}}"#
        let scanned = try scanRecord(text, paths: ["detail.eventName"])
        #expect(scanned.shape == .envelope)
        #expect(scanned.leaves == [#"detail.eventName="Y""#])
    }

    @Test("record that starts with an envelope key")
    func recordGuessedWrong() throws {
        let text = #"{"id":"x","eventName":"Z","detail":"not an object"}"#
        let scanned = try scanRecord(text, paths: ["detail.eventName", "id"])
        #expect(scanned.shape == .record)
        #expect(scanned.leaves == [#"detail.eventName="Z""#])
        #expect(scanned.core[.eventName] == "Z")
    }

    @Test("lookup-events item shape")
    func lookupEventsItem() throws {
        let text = #"{"EventId":"e1","CloudTrailEvent":"{\"eventID\":\"e1\"}"}"#
        let scanned = try scanRecord(text, paths: [])
        #expect(scanned.shape == .lookupEventsItem(stringStart: 34, stringEnd: text.utf8.count - 1))
    }

    @Test(
        "dotted event keys hit nested paths",
        arguments: [
            (#"{"a.b":1}"#, "detail.a.b=1.0"),
            (#"{"a":{"b.c":true}}"#, "detail.a.b.c=true"),
            (#"{"a.b.c":"x"}"#, #"detail.a.b.c="x""#),
            (#"{"detail":{"a.b":null},"detail-type":"T"}"#, "detail.a.b=null"),
        ])
    func dottedKeys(text: String, leaf: String) throws {
        let scanned = try scanRecord(text, paths: ["detail.a.b", "detail.a.b.c"])
        #expect(scanned.leaves == [leaf])
    }

    @Test(
        "escaped strings are decoded",
        arguments: [
            (#"caf\u00e9"#, "café"),
            (#"say \"hi\""#, #"say "hi""#),
            (#"\ud83d\ude00!"#, "😀!"),
            (#"tab\tnew\nline\\"#, "tab\tnew\nline\\"),
            (#"\/path"#, "/path"),
            (#"lone \udc00"#, "lone \u{FFFD}"),
        ])
    func escapedStrings(escaped: String, decoded: String) throws {
        let scanned = try scanRecord(#"{"eventName":""# + escaped + #""}"#, paths: ["detail.eventName"])
        #expect(scanned.leaves == ["detail.eventName=\"" + decoded + "\""])
        #expect(scanned.core[.eventName] == decoded)
    }

    @Test("escaped key is decoded")
    func escapedKey() throws {
        let scanned = try scanRecord(#"{"event\u004eame":"x"}"#, paths: ["detail.eventName"])
        #expect(scanned.leaves == [#"detail.eventName="x""#])
    }

    @Test(
        "scalar leaves",
        arguments: [
            ("0", "detail.v=0.0"),
            ("-1.5e2", "detail.v=-150.0"),
            ("12345678901", "detail.v=12345678901.0"),
            ("true", "detail.v=true"),
            ("false", "detail.v=false"),
            ("null", "detail.v=null"),
        ])
    func scalarLeaves(value: String, leaf: String) throws {
        let scanned = try scanRecord(#"{"v":"# + value + "}", paths: ["detail.v"])
        #expect(scanned.leaves == [leaf])
    }

    @Test("empty array and object add no leaves")
    func emptyContainers() throws {
        let scanned = try scanRecord(#"{"v":[],"w":{}}"#, paths: ["detail.v", "detail.w"])
        #expect(scanned.leaves == [])
    }

    @Test("array positions of objects")
    func arrayPositions() throws {
        let text = #"{"items":[{"k":"a","v":1},{"k":"b"}],"skip":[1,2],"tags":["x","y"]}"#
        let scanned = try scanRecord(text, paths: ["detail.items.k", "detail.items.v", "detail.tags"])
        #expect(
            scanned.leaves == [
                #"detail.items.k="a"@(0,0)"#,
                "detail.items.v=1.0@(0,0)",
                #"detail.items.k="b"@(0,1)"#,
                #"detail.tags="x"@(1,0)"#,
                #"detail.tags="y"@(1,1)"#,
            ])
    }

    @Test("nested arrays record every position")
    func nestedArrays() throws {
        let scanned = try scanRecord(#"{"m":[[1,2],[3]]}"#, paths: ["detail.m"])
        #expect(
            scanned.leaves == [
                "detail.m=1.0@(0,0)@(1,0)",
                "detail.m=2.0@(0,0)@(1,1)",
                "detail.m=3.0@(0,1)@(2,0)",
            ])
    }

    @Test("core identity fields")
    func coreFields() throws {
        let text = """
            {"eventTime":"2024-03-01T10:00:00Z","userIdentity":{"type":"AssumedRole",
             "arn":"arn:aws:sts::111122223333:assumed-role/Admin/alice","accountId":"111122223333",
             "sessionContext":{"sessionIssuer":{"type":"Role","arn":"arn:aws:iam::111122223333:role/Admin"}}},
             "requestParameters":{"roleArn":"arn:aws:iam::444455556666:role/Deploy","roleSessionName":"s"},
             "sourceIPAddress":"203.0.113.9","errorCode":null}
            """
        let scanned = try scanRecord(text, paths: [])
        #expect(scanned.core[.eventTime] == "2024-03-01T10:00:00Z")
        #expect(scanned.core[.identityType] == "AssumedRole")
        #expect(scanned.core[.identityARN] == "arn:aws:sts::111122223333:assumed-role/Admin/alice")
        #expect(scanned.core[.identityAccountId] == "111122223333")
        #expect(scanned.core[.sessionIssuerARN] == "arn:aws:iam::111122223333:role/Admin")
        #expect(scanned.core[.requestedRoleARN] == "arn:aws:iam::444455556666:role/Deploy")
        #expect(scanned.core[.sourceIPAddress] == "203.0.113.9")
        #expect(scanned.core[.errorCode] == nil)
        #expect(scanned.core[.eventName] == nil)
    }

    @Test("core field inside an array is ignored")
    func coreFieldInArray() throws {
        let scanned = try scanRecord(#"{"requestParameters":[{"roleArn":"x"}],"eventTime":1700000000}"#, paths: [])
        #expect(scanned.core[.requestedRoleARN] == nil)
        #expect(scanned.core[.eventTime] == "1700000000")
    }

    @Test("first core value wins over a repeated key")
    func repeatedCoreKey() throws {
        let scanned = try scanRecord(#"{"eventName":"First","eventName":"Second"}"#, paths: ["detail.eventName"])
        #expect(scanned.core[.eventName] == "First")
        #expect(scanned.leaves == [#"detail.eventName="First""#, #"detail.eventName="Second""#])
    }

    @Test(
        "syntax errors",
        arguments: [
            (#"{"a" 1}"#, 5, "expected ':' after an object key"),
            (#"{"eventName" "x"}"#, 13, "expected ':' after an object key"),
            (#"{"a":"abc"#, 9, "unterminated string"),
            (#"{"eventName":"abc"#, 17, "unterminated string"),
            (#"{"a":1,}"#, 7, "expected a string as object key"),
            (#"{"a":tru}"#, 5, "invalid literal, expected true"),
            (#"{"a":1 "b":2}"#, 7, "expected ',' or '}' in an object"),
            (#"{"eventName":[1 2]}"#, 16, "expected ',' or ']' in an array"),
            (#"{"eventName":x}"#, 13, "unexpected character, expected a value"),
            (#"[1]"#, 0, "a record must be a JSON object"),
            (#"{"a":1} x"#, 8, "unexpected data after the record"),
            (#"{"a":1"#, 6, "unexpected end of the record"),
            ("{\"a\":\"x\u{01}\"}", 7, "control character inside a string"),
        ])
    func syntaxErrors(text: String, offset: Int, message: String) throws {
        let error = try #require(scanError(text, paths: ["detail.eventName"]))
        #expect(error.message == message)
        #expect(error.offset == offset)
    }

    @Test("deep nesting is an error", arguments: [[], ["detail.a"]])
    func deepNesting(paths: [String]) throws {
        let text = #"{"a":"# + String(repeating: "[", count: 600) + String(repeating: "]", count: 600) + "}"
        let error = try #require(scanError(text, paths: paths))
        #expect(error.message == "nesting deeper than 512 levels")
    }

    @Test("nesting at the limit is accepted")
    func nestingAtLimit() throws {
        // The record's own object is level 1, so 511 arrays reach level 512.
        let text = #"{"a":"# + String(repeating: "[", count: 511) + String(repeating: "]", count: 511) + "}"
        let scanned = try scanRecord(text, paths: ["detail.a"])
        #expect(scanned.leaves == [])
    }

    @Test(
        "invalid JSON in a skipped member",
        arguments: [
            #"{"x":[1}}"#,
            #"{"x":[1 2]}"#,
            #"{"x":{"a" 1}}"#,
            #"{"x":1-2}"#,
            #"{"x":-}"#,
        ])
    func invalidSkippedMember(text: String) throws {
        #expect(throws: (any Error).self) { try JSONValue(parsing: text) }
        #expect(scanError(text) != nil)
    }
}
