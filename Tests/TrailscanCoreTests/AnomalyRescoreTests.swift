import EventPatterns
import Testing

@testable import TrailscanCore

/// Builds a CloudTrail record of alice in account 111122223333. The address
/// and eventName never vary, so only the region can be new.
func aliceRecord(id: String, time: String, region: String) -> String {
    """
    {"eventVersion":"1.08","userIdentity":{"type":"IAMUser","arn":"arn:aws:iam::111122223333:user/alice",\
    "accountId":"111122223333"},"eventTime":"\(time)","eventSource":"iam.amazonaws.com","eventName":"CreateUser",\
    "awsRegion":"\(region)","sourceIPAddress":"203.0.113.9","eventID":"\(id)","eventType":"AwsApiCall",\
    "recipientAccountId":"111122223333","responseElements":{"credentials":{"sessionToken":"secret"}}}
    """
}

/// Writes `records` as a gzipped CloudTrail log and processes it into an `InputResult`.
func processLog(_ records: [String], named name: String, in directory: String, rules: RuleSet, config: ScoringConfig) throws -> InputResult {
    let text = #"{"Records":["# + records.joined(separator: ",") + "]}"
    let path = try writeFile(try gzip(text), named: name, in: directory)
    var result = InputResult(path: path, size: 0, modified: "")
    var processor = RecordProcessor(rules: rules, scorer: StaticScorer(config: config))
    let reader = RecordReader(source: try DecompressingReader(path: path), initialCapacity: 64)
    try processor.process(reader, into: &result)
    return result
}

@Suite("Anomaly rescoring")
struct AnomalyRescoreTests {
    static let alice = "arn:aws:iam::111122223333:user/alice"

    /// Ten days of activity. The account is first seen on 1 March at 10:00,
    /// so its 7-day learning period ends on 8 March at 10:00.
    static let firstLog = [
        aliceRecord(id: "e-01", time: "2024-03-01T10:00:00Z", region: "us-east-1"),
        aliceRecord(id: "e-03", time: "2024-03-03T10:00:00Z", region: "eu-west-1"),
        aliceRecord(id: "e-05", time: "2024-03-05T10:00:00Z", region: "us-east-1"),
        aliceRecord(id: "e-07", time: "2024-03-07T10:00:00Z", region: "us-east-1"),
        aliceRecord(id: "e-09a", time: "2024-03-09T10:00:00Z", region: "ap-southeast-2"),
    ]
    static let secondLog = [
        aliceRecord(id: "e-02", time: "2024-03-02T10:00:00Z", region: "us-east-1"),
        aliceRecord(id: "e-04", time: "2024-03-04T10:00:00Z", region: "us-east-1"),
        aliceRecord(id: "e-06", time: "2024-03-06T10:00:00Z", region: "us-east-1"),
        // One second before the learning period ends: a new region that must not fire.
        aliceRecord(id: "e-08", time: "2024-03-08T09:59:59Z", region: "ca-central-1"),
        // Same time as e-09a in the other file: the smaller eventID is the first occurrence.
        aliceRecord(id: "e-09b", time: "2024-03-09T10:00:00Z", region: "ap-southeast-2"),
        aliceRecord(id: "e-10", time: "2024-03-10T10:00:00Z", region: "eu-west-1"),
    ]

    static func makeRules() throws -> RuleSet {
        let rule = Rule(
            name: "iam-create-user", description: "An IAM user was created.", baseScore: 10, tags: [],
            pattern: try Pattern(parsing: #"{"source":["aws.iam"],"detail":{"eventName":["CreateUser"]}}"#),
            matchExamples: [], noMatchExamples: [], file: "test")
        return RuleSet(rules: [rule])
    }

    static func makeConfig() -> ScoringConfig {
        var config = ScoringConfig.defaults
        config.weights = [.anomaly: 25]
        return config
    }

    /// Commits `results` in the given order into a new database, rescores, and
    /// returns every finding as (event_id, rule, score, reasons).
    static func rescoredFindings(_ results: [InputResult], in directory: String, name: String) throws -> [[String]] {
        let store = try TrailStore(path: directory + "/" + name)
        for result in results {
            _ = try store.commit(result, runID: 1)
        }
        try store.rescore(config: makeConfig())
        return try rows(store, "SELECT event_id, rule, score, reasons FROM findings ORDER BY event_id, rule", columns: 4)
    }

    @Test("processor reads every record")
    func processorCounts() throws {
        try withTemporaryDirectory { directory in
            let rules = try Self.makeRules()
            let first = try processLog(Self.firstLog, named: "a.json.gz", in: directory, rules: rules, config: Self.makeConfig())
            #expect(first.records == 5)
            #expect(first.badRecords == 0)
            #expect(first.findings.map(\.eventID) == ["e-01", "e-03", "e-05", "e-07", "e-09a"])
            #expect(first.accountFirstSeen == ["111122223333": 1_709_287_200])

            let regionKey = BaselineKey(principal: Self.alice, kind: .region, value: "ap-southeast-2")
            #expect(first.baseline[regionKey] == FirstSeen(epoch: 1_709_978_400, eventID: "e-09a"))
            let networkKey = BaselineKey(principal: Self.alice, kind: .network, value: "203.0.113.0/24")
            #expect(first.baseline[networkKey] == FirstSeen(epoch: 1_709_287_200, eventID: "e-01"))

            let finding = try #require(first.findings.first)
            #expect(finding.rule == "iam-create-user")
            #expect(finding.eventTime == "2024-03-01T10:00:00Z")
            #expect(finding.principalARN == Self.alice)
            // No ip, time or role reason fires: only the rule's base score.
            #expect(finding.staticReasons == #"[{"signal":"rule","points":10,"detail":"rule iam-create-user matched"}]"#)
            #expect(finding.staticScore == 10)
            #expect(finding.event.contains(#""sessionToken":"REDACTED""#))
            #expect(!finding.event.contains("secret\""))
        }
    }

    @Test("rescoring is independent of commit order")
    func orderIndependent() throws {
        try withTemporaryDirectory { directory in
            let rules = try Self.makeRules()
            let config = Self.makeConfig()
            let first = try processLog(Self.firstLog, named: "a.json.gz", in: directory, rules: rules, config: config)
            let second = try processLog(Self.secondLog, named: "b.json.gz", in: directory, rules: rules, config: config)

            let forward = try Self.rescoredFindings([first, second], in: directory, name: "forward.db")
            let backward = try Self.rescoredFindings([second, first], in: directory, name: "backward.db")
            #expect(forward == backward)
            #expect(forward.count == 11)

            let ruleOnly = #"[{"signal":"rule","points":10,"detail":"rule iam-create-user matched"}]"#
            let anomalies = forward.filter { $0[3] != ruleOnly }
            let detail = "first seen for \(Self.alice): region ap-southeast-2"
            #expect(
                anomalies == [
                    [
                        "e-09a", "iam-create-user", "35",
                        #"[{"signal":"rule","points":10,"detail":"rule iam-create-user matched"},"#
                            + #"{"signal":"anomaly","points":25,"detail":"\#(detail)"}]"#,
                    ]
                ])
            #expect(forward.filter { $0[3] == ruleOnly }.allSatisfy { $0[2] == "10" })
        }
    }

    @Test("rescoring twice changes nothing")
    func rescoreIsStable() throws {
        try withTemporaryDirectory { directory in
            let rules = try Self.makeRules()
            let config = Self.makeConfig()
            let first = try processLog(Self.firstLog, named: "a.json.gz", in: directory, rules: rules, config: config)
            let store = try TrailStore(path: directory + "/findings.db")
            _ = try store.commit(first, runID: 1)
            try store.rescore(config: config)
            let once = try rows(store, "SELECT event_id, score, severity, reasons FROM findings ORDER BY event_id", columns: 4)
            try store.rescore(config: config)
            let twice = try rows(store, "SELECT event_id, score, severity, reasons FROM findings ORDER BY event_id", columns: 4)
            #expect(once == twice)
            #expect(once.filter { $0[1] == "35" }.map { $0[0] } == ["e-09a"])
        }
    }
}
