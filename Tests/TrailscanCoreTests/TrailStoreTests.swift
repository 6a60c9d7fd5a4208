import EventPatterns
import Glibc
import Testing

@testable import TrailscanCore

/// Builds a finding with fixed values except the ones a test varies.
func storeFinding(eventID: String, rule: String = "test-rule", baseScore: Int = 40, source: String) -> Finding {
    let stored = Finding.staticReasons(
        rule: Finding.RuleReason(rule: rule, baseScore: baseScore),
        reasons: Finding.StaticTail([Reason(signal: .ip, points: 30, detail: "203.0.113.9 is outside the trusted networks")]))
    return Finding(
        eventID: eventID, rule: rule, baseScore: baseScore, staticReasons: stored.json, staticScore: stored.score,
        eventTime: "2024-03-01T10:00:00Z", eventEpoch: 1_709_287_200, accountID: "111122223333",
        region: "us-east-1", eventSource: "iam.amazonaws.com", eventName: "CreateUser",
        principalARN: "arn:aws:iam::111122223333:user/alice", principalType: "IAMUser", sourceIP: "203.0.113.9",
        userAgent: "aws-cli/2", errorCode: nil, source: source, event: "{}")
}

func inputResult(path: String, findings: [Finding]) -> InputResult {
    var result = InputResult(path: path, size: 100, modified: "2024-03-01T10:00:00.000000000Z")
    result.records = findings.count
    result.findings = findings
    return result
}

/// Runs `sql` and returns its rows, each column as text ("NULL" for SQL NULL).
func rows(_ store: TrailStore, _ sql: String, columns: Int32) throws -> [[String]] {
    var output: [[String]] = []
    try store.database.prepare(sql).query { row in
        output.append((0..<columns).map { row.isNull($0) ? "NULL" : row.text($0) ?? "" })
    }
    return output
}

@Suite("TrailStore")
struct TrailStoreTests {
    @Test("new database file has mode 0600")
    func fileMode() throws {
        try withTemporaryDirectory { directory in
            let path = directory + "/findings.db"
            _ = try TrailStore(path: path)
            var info = stat()
            #expect(stat(path, &info) == 0)
            #expect(info.st_mode & 0o777 == 0o600)
        }
    }

    @Test("schema version is current")
    func userVersion() throws {
        try withTemporaryDirectory { directory in
            let current = String(Schema.migrations.count)
            #expect(current == "7")
            let store = try TrailStore(path: directory + "/findings.db")
            #expect(try rows(store, "PRAGMA user_version", columns: 1) == [[current]])
            let indexes = try rows(
                store, "SELECT name FROM sqlite_schema WHERE type = 'index' AND tbl_name = 'findings' ORDER BY name",
                columns: 1)
            #expect(
                indexes == [
                    ["findings_errors"], ["findings_rank"], ["findings_report"], ["findings_source"],
                    ["findings_static"], ["sqlite_autoindex_findings_1"],
                ])
            let reopened = try TrailStore(path: directory + "/findings.db")
            #expect(try rows(reopened, "PRAGMA user_version", columns: 1) == [[current]])
        }
    }

    @Test("severity counts read only new rows")
    func severityCountsPlan() throws {
        try withTemporaryDirectory { directory in
            let store = try TrailStore(path: directory + "/findings.db")
            let plan = try rows(store, "EXPLAIN QUERY PLAN " + TrailStore.severityCountsSQL, columns: 4).map { $0[3] }
            #expect(plan.first == "SEARCH findings USING COVERING INDEX findings_source (source=? AND severity=? AND rowid>?)")
            // The groups follow the index, so SQLite sorts no rows.
            #expect(!plan.contains { $0.contains("TEMP B-TREE") })
        }
    }

    @Test("version 1 database migrates")
    func migratesFromVersionOne() throws {
        try withTemporaryDirectory { directory in
            let path = directory + "/old.db"
            let old = try SQLiteDatabase(path: path)
            try old.execute("BEGIN; \(Schema.migrations[0]); PRAGMA user_version = 1; COMMIT;")
            let store = try TrailStore(path: path)
            #expect(try rows(store, "PRAGMA user_version", columns: 1) == [[String(Schema.migrations.count)]])
            #expect(try rows(store, "SELECT count(*) FROM denied_calls", columns: 1) == [["0"]])
        }
    }

    @Test("version 4 rows keep one copy of equal reasons")
    func migratesStaticReasons() throws {
        try withTemporaryDirectory { directory in
            let path = directory + "/v4.db"
            let old = try SQLiteDatabase(path: path)
            try old.execute("BEGIN; \(Schema.migrations[0...3].joined(separator: ";")); PRAGMA user_version = 4; COMMIT;")
            let insert = """
                INSERT INTO findings (event_id, rule, score, severity, event_time, reasons, source, event, base_score,
                    static_reasons, event_epoch)
                VALUES ('%@', 'r', %@, 'low', '2024-03-01T10:00:00Z', '%@', 's', '{}', 10, '%@', 0)
                """
            let ruleOnly = #"[{"signal":"rule","points":10,"detail":"rule r matched"}]"#
            let withAnomaly = #"[{"signal":"rule","points":10,"detail":"rule r matched"},{"signal":"anomaly","points":25,"detail":"x"}]"#
            for (id, score, reasons) in [("same", "10", ruleOnly), ("anomaly", "35", withAnomaly)] {
                try old.execute(String(format: insert, id, score, reasons, ruleOnly))
            }
            let store = try TrailStore(path: path)
            #expect(
                try rows(store, "SELECT event_id, static_reasons FROM findings ORDER BY event_id", columns: 2)
                    == [["anomaly", ruleOnly], ["same", ""]])
        }
    }

    @Test("commit stores findings and inputs row")
    func commitFindings() throws {
        try withTemporaryDirectory { directory in
            let store = try TrailStore(path: directory + "/findings.db")
            let runID = try store.beginRun(arguments: ["scan", "a.json"])
            let findings = [
                storeFinding(eventID: "e-1", source: "a.json"),
                storeFinding(eventID: "e-2", baseScore: 80, source: "a.json"),
            ]
            let inserted = try store.commit(inputResult(path: "a.json", findings: findings), runID: runID)
            #expect(inserted == 2)
            #expect(
                try rows(store, "SELECT event_id, rule, score, severity, source, base_score FROM findings ORDER BY event_id", columns: 6)
                    == [
                        ["e-1", "test-rule", "70", "high", "a.json", "40"],
                        ["e-2", "test-rule", "100", "critical", "a.json", "80"],
                    ])
            #expect(
                try rows(store, "SELECT reasons FROM findings WHERE event_id = 'e-1'", columns: 1)
                    == [[
                        #"[{"signal":"rule","points":40,"detail":"rule test-rule matched"},"#
                            + #"{"signal":"ip","points":30,"detail":"203.0.113.9 is outside the trusted networks"}]"#
                    ]])
            #expect(
                try rows(store, "SELECT path, size, records, findings, status, error, run_id FROM inputs", columns: 7)
                    == [["a.json", "100", "2", "2", "done", "NULL", String(runID)]])
        }
    }

    @Test("baseline keeps the earliest sighting across commits")
    func baselineUpserts() throws {
        try withTemporaryDirectory { directory in
            let store = try TrailStore(path: directory + "/findings.db")
            let runID = try store.beginRun(arguments: ["scan"])
            let key = BaselineKey(principal: "arn:aws:iam::111122223333:user/alice", kind: .region, value: "us-east-1")
            let other = BaselineKey(principal: "arn:aws:iam::111122223333:user/bob", kind: .region, value: "us-east-1")
            func sighting(_ path: String, _ seen: [(BaselineKey, Int64, String)]) -> InputResult {
                var result = inputResult(path: path, findings: [])
                for (key, epoch, eventID) in seen { result.observe(key, FirstSeen(epoch: epoch, eventID: eventID)) }
                return result
            }
            func stored() throws -> [[String]] {
                try rows(store, "SELECT principal, first_epoch, first_event_id FROM baseline ORDER BY principal", columns: 3)
            }
            let alice = key.principal
            let bob = other.principal

            _ = try store.commit(sighting("a.json", [(key, 100, "e-b")]), runID: runID)
            #expect(try stored() == [[alice, "100", "e-b"]])
            // Later, then equal time with a smaller eventID, then another key.
            _ = try store.commit(sighting("b.json", [(key, 200, "e-c"), (other, 300, "e-x")]), runID: runID)
            #expect(try stored() == [[alice, "100", "e-b"], [bob, "300", "e-x"]])
            _ = try store.commit(sighting("c.json", [(key, 100, "e-a")]), runID: runID)
            #expect(try stored() == [[alice, "100", "e-a"], [bob, "300", "e-x"]])

            // A rolled-back sighting is forgotten: a later but still earlier one is written.
            try store.beginShared()
            _ = try store.write(sighting("d.json", [(key, 50, "e-z")]), runID: runID, status: nil)
            store.rollBackShared()
            #expect(try stored() == [[alice, "100", "e-a"], [bob, "300", "e-x"]])
            _ = try store.commit(sighting("e.json", [(key, 60, "e-y")]), runID: runID)
            #expect(try stored() == [[alice, "60", "e-y"], [bob, "300", "e-x"]])
        }
    }

    @Test("failed input row keeps the error")
    func failedInput() throws {
        try withTemporaryDirectory { directory in
            let store = try TrailStore(path: directory + "/findings.db")
            var result = inputResult(path: "bad.json", findings: [])
            result.badRecords = 2
            result.problems = ["line 3, byte 40: invalid JSON"]
            _ = try store.commit(result, runID: 1)
            #expect(
                try rows(store, "SELECT status, error FROM inputs", columns: 2)
                    == [["failed", "2 unreadable records, the first at line 3, byte 40: invalid JSON"]])
        }
    }

    @Test("duplicate finding keeps the smaller source", arguments: [["b.json", "a.json"], ["a.json", "b.json"]])
    func duplicateFinding(order: [String]) throws {
        try withTemporaryDirectory { directory in
            let store = try TrailStore(path: directory + "/findings.db")
            for path in order {
                _ = try store.commit(inputResult(path: path, findings: [storeFinding(eventID: "e-1", source: path)]), runID: 1)
            }
            #expect(try rows(store, "SELECT event_id, rule, source FROM findings", columns: 3) == [["e-1", "test-rule", "a.json"]])
            // Each inputs row counts the findings stored under its path.
            #expect(try rows(store, "SELECT path, findings FROM inputs ORDER BY path", columns: 2) == [["a.json", "1"], ["b.json", "0"]])
        }
    }

    @Test("new-finding count does not depend on order", arguments: [["b.json", "a.json"], ["a.json", "b.json"]])
    func newFindingCount(order: [String]) throws {
        try withTemporaryDirectory { directory in
            let store = try TrailStore(path: directory + "/findings.db")
            var newFindings = 0
            for path in order {
                newFindings += try store.commit(
                    inputResult(path: path, findings: [storeFinding(eventID: "e-1", source: path)]), runID: 1)
            }
            #expect(newFindings == 1)
        }
    }

    @Test("replacing input deletes its old findings")
    func replacesEarlierFindings() throws {
        try withTemporaryDirectory { directory in
            let store = try TrailStore(path: directory + "/findings.db")
            let first = [storeFinding(eventID: "e-1", source: "a.json"), storeFinding(eventID: "e-2", source: "a.json")]
            _ = try store.commit(inputResult(path: "a.json", findings: first), runID: 1)
            _ = try store.commit(inputResult(path: "c.json", findings: [storeFinding(eventID: "e-9", source: "c.json")]), runID: 1)

            var again = inputResult(path: "a.json", findings: [storeFinding(eventID: "e-3", source: "a.json")])
            again.replacesEarlierFindings = true
            _ = try store.commit(again, runID: 2)

            #expect(
                try rows(store, "SELECT event_id, source FROM findings ORDER BY event_id", columns: 2)
                    == [["e-3", "a.json"], ["e-9", "c.json"]])
            #expect(
                try rows(store, "SELECT path, findings, run_id FROM inputs ORDER BY path", columns: 3)
                    == [["a.json", "1", "2"], ["c.json", "1", "1"]])
        }
    }

    @Test("commit without replacing keeps old findings")
    func keepsEarlierFindings() throws {
        try withTemporaryDirectory { directory in
            let store = try TrailStore(path: directory + "/findings.db")
            _ = try store.commit(inputResult(path: "a.json", findings: [storeFinding(eventID: "e-1", source: "a.json")]), runID: 1)
            _ = try store.commit(inputResult(path: "a.json", findings: [storeFinding(eventID: "e-2", source: "a.json")]), runID: 1)
            #expect(try rows(store, "SELECT event_id FROM findings ORDER BY event_id", columns: 1) == [["e-1"], ["e-2"]])
        }
    }
}
