import EventPatterns
import Testing

@testable import TrailscanCore

/// Rescoring limited to the principals a run changed.
@Suite("Scoped rescoring")
struct ScopedRescoreTests {
    static let alice = "arn:aws:iam::111122223333:user/alice"
    static let bob = "arn:aws:iam::111122223333:user/bob"

    /// Returns a CreateUser call by `user` in account 111122223333 (or `account`).
    static func record(user: String, id: String, time: String, region: String, account: String = "111122223333") -> String {
        """
        {"eventVersion":"1.08","userIdentity":{"type":"IAMUser","arn":"arn:aws:iam::\(account):user/\(user)",\
        "accountId":"\(account)"},"eventTime":"\(time)","eventSource":"iam.amazonaws.com","eventName":"CreateUser",\
        "awsRegion":"\(region)","sourceIPAddress":"203.0.113.9","eventID":"\(id)","eventType":"AwsApiCall",\
        "recipientAccountId":"\(account)"}
        """
    }

    /// Both principals, past the 7-day learning period that starts on 1 March.
    static let firstLog = [
        record(user: "alice", id: "a-01", time: "2024-03-01T10:00:00Z", region: "us-east-1"),
        record(user: "bob", id: "b-01", time: "2024-03-01T11:00:00Z", region: "us-east-1"),
        record(user: "alice", id: "a-10", time: "2024-03-10T10:00:00Z", region: "eu-west-1"),
        record(user: "bob", id: "b-10", time: "2024-03-10T11:00:00Z", region: "ap-southeast-2"),
    ]
    /// Alice only: an earlier eu-west-1 call takes the first sighting from
    /// a-10, and a new region is first seen.
    static let secondLog = [
        record(user: "alice", id: "a-09", time: "2024-03-09T10:00:00Z", region: "eu-west-1"),
        record(user: "alice", id: "a-12", time: "2024-03-12T10:00:00Z", region: "sa-east-1"),
    ]

    /// Returns both logs processed with the anomaly tests' rule and configuration.
    static func processedLogs(in directory: String) throws -> (first: InputResult, second: InputResult) {
        let rules = try AnomalyRescoreTests.makeRules()
        let config = AnomalyRescoreTests.makeConfig()
        return (
            try processLog(firstLog, named: "a.json.gz", in: directory, rules: rules, config: config),
            try processLog(secondLog, named: "b.json.gz", in: directory, rules: rules, config: config)
        )
    }

    static let findingsQuery = "SELECT event_id, score, severity, reasons, static_reasons FROM findings ORDER BY event_id"

    @Test("second run rescored by scope")
    func scopedEqualsFull() throws {
        try withTemporaryDirectory { directory in
            let config = AnomalyRescoreTests.makeConfig()
            let (first, second) = try Self.processedLogs(in: directory)

            // Reference: both logs, then every finding rescored.
            let reference = try TrailStore(path: directory + "/reference.db")
            _ = try reference.commit(first, runID: 1)
            _ = try reference.commit(second, runID: 2)
            try reference.rescore(config: config)
            let expected = try rows(reference, Self.findingsQuery, columns: 5)
            #expect(expected.filter { $0[3].contains("anomaly") }.map { $0[0] } == ["a-09", "a-12", "b-10"])

            // Two runs, as two processes: the second rescored by scope.
            let path = directory + "/scoped.db"
            do {
                let store = try TrailStore(path: path)
                _ = try store.commit(first, runID: 1)
                try store.rescore(config: config)
            }
            let store = try TrailStore(path: path)
            let startedRescored = try !store.needsRescore()
            _ = try store.commit(second, runID: 2)
            let scope = try store.rescoreScope(runID: 2, startedRescored: startedRescored, config: config)
            #expect(scope == [Self.alice])
            try store.rescore(config: config, principals: scope)
            #expect(try rows(store, Self.findingsQuery, columns: 5) == expected)
            #expect(try store.needsRescore() == false)
        }
    }

    @Test("rows out of scope untouched")
    func outOfScopeUntouched() throws {
        try withTemporaryDirectory { directory in
            let config = AnomalyRescoreTests.makeConfig()
            let (first, second) = try Self.processedLogs(in: directory)
            let store = try TrailStore(path: directory + "/findings.db")
            _ = try store.commit(first, runID: 1)
            try store.rescore(config: config)
            _ = try store.commit(second, runID: 2)

            // A mark on bob's row: a scoped pass over alice leaves it, a full pass repairs it.
            try store.database.execute("UPDATE findings SET score = 99 WHERE event_id = 'b-10'")
            try store.rescore(config: config, principals: [Self.alice])
            #expect(try rows(store, "SELECT score FROM findings WHERE event_id = 'b-10'", columns: 1) == [["99"]])
            try store.rescore(config: config)
            #expect(try rows(store, "SELECT score FROM findings WHERE event_id = 'b-10'", columns: 1) == [["35"]])
        }
    }

    @Test("what widens the scope to all")
    func widenedScope() throws {
        try withTemporaryDirectory { directory in
            let rules = try AnomalyRescoreTests.makeRules()
            let config = AnomalyRescoreTests.makeConfig()
            let (first, second) = try Self.processedLogs(in: directory)
            let earlierAccount = try processLog(
                [Self.record(user: "carol", id: "c-01", time: "2024-02-01T10:00:00Z", region: "us-east-1")],
                named: "c.json.gz", in: directory, rules: rules, config: config)
            let path = directory + "/findings.db"
            do {
                let store = try TrailStore(path: path)
                _ = try store.commit(first, runID: 1)
                try store.rescore(config: config)
            }

            // Other anomaly settings than at the last rescoring.
            var otherConfig = config
            otherConfig.learningDays = 3
            let settings = try TrailStore(path: path)
            _ = try settings.commit(second, runID: 2)
            #expect(try settings.rescoreScope(runID: 2, startedRescored: true, config: config) == [Self.alice])
            #expect(try settings.rescoreScope(runID: 2, startedRescored: true, config: otherConfig) == nil)

            // A rescore still pending when the run began (a run that was killed).
            #expect(try settings.rescoreScope(runID: 2, startedRescored: false, config: config) == nil)

            // Another run wrote after this one: both cover everything.
            let other = try TrailStore(path: path)
            _ = try other.commit(inputResult(path: "d.json", findings: []), runID: 3)
            #expect(try settings.rescoreScope(runID: 2, startedRescored: true, config: config) == nil)
            #expect(try other.rescoreScope(runID: 3, startedRescored: true, config: config) == nil)
            try other.rescore(config: config)

            // An account first seen earlier than before.
            let account = try TrailStore(path: path)
            _ = try account.commit(earlierAccount, runID: 4)
            #expect(try account.rescoreScope(runID: 4, startedRescored: true, config: config) == nil)
        }
    }

    @Test("static rescore leaves a full pass")
    func staticRescorePending() throws {
        try withTemporaryDirectory { directory in
            let config = AnomalyRescoreTests.makeConfig()
            let (first, _) = try Self.processedLogs(in: directory)
            let store = try TrailStore(path: directory + "/findings.db")
            _ = try store.commit(first, runID: 1)
            try store.rescore(config: config)
            #expect(try store.needsRescore() == false)

            // New static reasons for every row: until the anomaly pass runs,
            // a scan must not rescore by scope.
            var withIP = config
            withIP.weights[.ip] = 20
            #expect(try store.rescoreStaticSignals(config: withIP) == 4)
            #expect(try store.needsRescore())
            try store.rescore(config: withIP)
            #expect(try store.needsRescore() == false)
        }
    }
}
