import CSQLite
import Foundation
import Testing

/// A generated tree scanned once, and in shards that are then merged: the
/// merged database must hold what the single scan stored.
@Suite("Sharded scan and merge")
final class ShardMergeTests {
    let folder: TemporaryFolder
    let tree: URL

    init() throws {
        folder = try TemporaryFolder()
        tree = folder.url.appendingPathComponent("logs")
        try ShardedTree.write(to: tree)
    }

    static let findingsQuery = "SELECT event_id, rule, score, severity, reasons, source FROM findings ORDER BY event_id, rule"

    /// Scans the tree into `database`, optionally as one shard, and expects exit status 0.
    func scan(into database: String, shard: String? = nil) throws {
        var arguments = ["scan", tree.path, "--db", database, "--quiet"]
        if let shard { arguments += ["--shard", shard] }
        let result = try Trailscan.run(arguments)
        #expect(result.status == 0, "scan \(shard ?? "unsharded"): \(result.standardError)")
    }

    /// Scans the tree in `count` shards, merges them into `merged` and returns the shard paths.
    @discardableResult
    func scanInShardsAndMerge(_ count: Int, into merged: String) throws -> [String] {
        let shards = (0..<count).map { folder.path("shard-\($0)-of-\(count).db") }
        for (index, database) in shards.enumerated() {
            try scan(into: database, shard: "\(index)/\(count)")
        }
        let result = try Trailscan.run(["merge", merged] + shards)
        #expect(result.status == 0, "merge: \(result.standardError)")
        #expect(result.standardOutput.isEmpty)
        return shards
    }

    @Test("merged shards equal one scan", arguments: [1, 2, 4])
    func mergedShardsEqualOneScan(count: Int) throws {
        let single = folder.path("single.db")
        try scan(into: single)
        let merged = folder.path("merged-\(count).db")
        try scanInShardsAndMerge(count, into: merged)

        let expected = try Database(single).rows(Self.findingsQuery)
        let actual = try Database(merged).rows(Self.findingsQuery)
        #expect(expected.count > 100)
        #expect(actual.count == expected.count)
        #expect(actual == expected)

        let anomalies = try Database(single).value("SELECT count(*) FROM findings WHERE reasons LIKE '%\"anomaly\"%'")
        #expect((Int(anomalies) ?? 0) > 0, "the tree should make the anomaly signal fire")

        for sql in ["SELECT * FROM baseline ORDER BY 1, 2, 3", "SELECT * FROM accounts ORDER BY 1",
                    "SELECT * FROM denied_calls ORDER BY 1, 2, 3"] {
            let mergedRows = try Database(merged).rows(sql)
            let singleRows = try Database(single).rows(sql)
            #expect(mergedRows == singleRows, "\(sql)")
        }
        let inputsQuery = "SELECT path, size, mtime, records, findings, status FROM inputs ORDER BY path"
        let mergedInputs = try Database(merged).rows(inputsQuery).map { $0[0] }
        let singleInputs = try Database(single).rows(inputsQuery).map { $0[0] }
        #expect(mergedInputs == singleInputs)
        #expect(try Database(merged).value("SELECT count(*) FROM runs") == String(count))
        #expect(try Database(merged).value("SELECT count(*) FROM inputs WHERE run_id IS NULL OR run_id NOT IN (SELECT id FROM runs)") == "0")
    }

    @Test("shards are balanced", arguments: [2, 4])
    func shardsAreBalanced(count: Int) throws {
        var logFiles: [Int] = []
        for index in 0..<count {
            let database = folder.path("balance-\(index).db")
            try scan(into: database, shard: "\(index)/\(count)")
            logFiles.append(Int(try Database(database).value("SELECT count(*) FROM inputs WHERE status = 'done'")) ?? 0)
        }
        #expect(logFiles.reduce(0, +) == ShardedTree.logFileCount)
        let smallest = try #require(logFiles.min())
        let largest = try #require(logFiles.max())
        #expect(smallest > 0)
        #expect(largest < 2 * smallest, "files per shard: \(logFiles)")
    }

    @Test("region-day stays in one shard")
    func regionDayStaysTogether() throws {
        var shardOfFolder: [String: Int] = [:]
        for index in 0..<4 {
            let database = folder.path("day-\(index).db")
            try scan(into: database, shard: "\(index)/4")
            for row in try Database(database).rows("SELECT path FROM inputs WHERE status = 'done'") {
                let day = (row[0] as NSString).deletingLastPathComponent
                #expect(shardOfFolder[day, default: index] == index, "\(day) is split across shards")
                shardOfFolder[day] = index
            }
        }
        #expect(shardOfFolder.count == ShardedTree.regionDayCount)
    }

    @Test("merge twice adds nothing")
    func mergeIsIdempotent() throws {
        let merged = folder.path("twice.db")
        let shards = try scanInShardsAndMerge(2, into: merged)
        let tables = ["findings", "inputs", "runs", "baseline", "accounts", "denied_calls"]
        let before = try tables.map { try Database(merged).value("SELECT count(*) FROM \($0)") }
        let findingsBefore = try Database(merged).rows(Self.findingsQuery)

        let again = try Trailscan.run(["merge", merged] + shards + shards)
        #expect(again.status == 0, "stderr: \(again.standardError)")
        #expect(again.standardError.contains("(0 new)"), "stderr: \(again.standardError)")

        let after = try tables.map { try Database(merged).value("SELECT count(*) FROM \($0)") }
        #expect(after == before)
        #expect(try Database(merged).rows(Self.findingsQuery) == findingsBefore)
        #expect(try Database(merged).value("SELECT count(*) FROM (SELECT event_id, rule FROM findings GROUP BY 1, 2 HAVING count(*) > 1)") == "0")
    }

    @Test("merge creates the output with mode 0600")
    func mergeOutputMode() throws {
        let merged = folder.path("mode.db")
        try scanInShardsAndMerge(1, into: merged)
        let attributes = try FileManager.default.attributesOfItem(atPath: merged)
        #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o600)
    }

    @Test("merge prefers done over failed")
    func mergePrefersDone() throws {
        let good = folder.path("good.db")
        try scan(into: good, shard: "0/1")
        let failed = folder.path("failed.db")
        try scan(into: failed, shard: "0/1")
        let path = try Database(good).value("SELECT path FROM inputs WHERE status = 'done' ORDER BY path LIMIT 1")
        try execute("UPDATE inputs SET status = 'failed', error = 'damaged', scanned_at = '2999-01-01T00:00:00Z' WHERE path = '\(path)'", in: failed)

        let merged = folder.path("done.db")
        let result = try Trailscan.run(["merge", merged, good, failed])
        #expect(result.status == 0, "stderr: \(result.standardError)")
        #expect(try Database(merged).value("SELECT status FROM inputs WHERE path = '\(path)'") == "done")
    }

    @Test("rescore keeps scores under the same config")
    func rescoreIsStable() throws {
        let database = folder.path("rescore.db")
        try scan(into: database)
        let before = try Database(database).rows(Self.findingsQuery)

        let result = try Trailscan.run(["rescore", "--db", database])
        #expect(result.status == 0, "stderr: \(result.standardError)")
        #expect(result.standardError.contains("changed for 0 findings"), "stderr: \(result.standardError)")
        #expect(try Database(database).rows(Self.findingsQuery) == before)
    }

    @Test("rescore applies new weights")
    func rescoreAppliesWeights() throws {
        let database = folder.path("weights.db")
        try scan(into: database)
        let config = folder.url.appendingPathComponent("weights.json")
        try #"{"weights": {"ip": 0, "time": 0, "role": 0, "anomaly": 0}}"#.write(to: config, atomically: true, encoding: .utf8)

        let result = try Trailscan.run(["rescore", "--db", database, "--config", config.path])
        #expect(result.status == 0, "stderr: \(result.standardError)")
        let db = try Database(database)
        #expect(try db.value("SELECT count(*) FROM findings") != "0")
        // Only the rule's base score is left in the reasons.
        #expect(try db.value("SELECT count(*) FROM findings WHERE json_array_length(reasons) != 1") == "0")
        #expect(try db.value("SELECT count(*) FROM findings WHERE json_extract(reasons, '$[0].signal') != 'rule'") == "0")
        #expect(try db.value("SELECT count(*) FROM findings WHERE score != base_score") == "0")
        // Without an anomaly no row keeps a separate copy of its static reasons.
        #expect(try db.value("SELECT count(*) FROM findings WHERE static_reasons != ''") == "0")
    }

    /// Runs `sql` on the database at `path` with a writable connection.
    func execute(_ sql: String, in path: String) throws {
        var handle: OpaquePointer?
        defer { sqlite3_close_v2(handle) }
        guard sqlite3_open_v2(path, &handle, SQLITE_OPEN_READWRITE, nil) == SQLITE_OK,
              sqlite3_exec(handle, sql, nil, nil, nil) == SQLITE_OK
        else {
            throw DatabaseError(message: "\(sql) failed on \(path): " + String(cString: sqlite3_errmsg(handle)))
        }
    }
}

@Suite("Shard and merge usage errors")
struct ShardMergeUsageTests {
    @Test("scan --shard rejects", arguments: [
        (["--shard", "4/4"], "--shard must be K/N with whole numbers 0 ≤ K < N"),
        (["--shard", "1/0"], "--shard must be K/N"),
        (["--shard", "-1/2"], "--shard must be K/N"),
        (["--shard", "a/b"], "--shard must be K/N"),
        (["--shard", "1"], "--shard must be K/N"),
        (["--shard", "0/2", "-"], "--shard 0/2 cannot split standard input"),
        (["--emit", "csv"], "--emit must be ndjson, not \"csv\""),
    ])
    func scanRejects(arguments: [String], message: String) throws {
        let folder = try TemporaryFolder()
        let result = try Trailscan.run(["scan", samplesFolder.path, "--db", folder.path("x.db")] + arguments)
        #expect(result.status == 2)
        #expect(result.standardError.contains(message), "stderr: \(result.standardError)")
        #expect(!FileManager.default.fileExists(atPath: folder.path("x.db")))
    }

    @Test("merge needs two paths")
    func mergeNeedsTwoPaths() throws {
        let result = try Trailscan.run(["merge", "/tmp/only-out.db"])
        #expect(result.status == 2)
        #expect(result.standardError.contains("merge needs OUT.db and at least one IN.db"))
    }

    @Test("merge rejects a missing input")
    func mergeMissingInput() throws {
        let folder = try TemporaryFolder()
        let result = try Trailscan.run(["merge", folder.path("out.db"), folder.path("absent.db")])
        #expect(result.status == 2)
        #expect(result.standardError.contains("absent.db: not found"), "stderr: \(result.standardError)")
        #expect(!FileManager.default.fileExists(atPath: folder.path("out.db")))
    }

    @Test("merge rejects a file that is not a database")
    func mergeForeignFile() throws {
        let folder = try TemporaryFolder()
        let text = folder.url.appendingPathComponent("notes.db")
        try String(repeating: "not a database\n", count: 100).write(to: text, atomically: true, encoding: .utf8)
        let result = try Trailscan.run(["merge", folder.path("out.db"), text.path])
        #expect(result.status == 2)
        #expect(result.standardError.contains("notes.db: is not a trailscan database"), "stderr: \(result.standardError)")
        #expect(!FileManager.default.fileExists(atPath: folder.path("out.db")))
    }

    @Test("merge rejects another schema version")
    func mergeSchemaVersion() throws {
        let folder = try TemporaryFolder()
        let database = folder.path("new.db")
        let scan = try Trailscan.run(["scan", samplesFolder.path, "--db", database, "--quiet"])
        #expect(scan.status != 2, "stderr: \(scan.standardError)")
        var handle: OpaquePointer?
        #expect(sqlite3_open_v2(database, &handle, SQLITE_OPEN_READWRITE, nil) == SQLITE_OK)
        #expect(sqlite3_exec(handle, "PRAGMA user_version = 99", nil, nil, nil) == SQLITE_OK)
        sqlite3_close_v2(handle)

        let result = try Trailscan.run(["merge", folder.path("out.db"), database])
        #expect(result.status == 2)
        #expect(result.standardError.contains("has schema version 99"), "stderr: \(result.standardError)")
    }

    @Test("merge rejects the output as input")
    func mergeOutputAsInput() throws {
        let folder = try TemporaryFolder()
        let database = folder.path("same.db")
        _ = try Trailscan.run(["scan", samplesFolder.path, "--db", database, "--quiet"])
        let result = try Trailscan.run(["merge", database, database])
        #expect(result.status == 2)
        #expect(result.standardError.contains("is also the output database"), "stderr: \(result.standardError)")
    }

    @Test("rescore rejects a missing database")
    func rescoreMissingDatabase() throws {
        let result = try Trailscan.run(["rescore", "--db", "/nonexistent/trailscan.db"])
        #expect(result.status == 2)
        #expect(result.standardError.contains("/nonexistent/trailscan.db not found"))
    }

    @Test("help of the new commands", arguments: ["merge", "rescore"])
    func help(command: String) throws {
        let result = try Trailscan.run([command, "--help"])
        #expect(result.status == 0)
        #expect(result.standardOutput.contains("Usage: trailscan \(command)"))
    }
}
