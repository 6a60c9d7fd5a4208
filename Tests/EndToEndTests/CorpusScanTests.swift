import Foundation
import Testing

/// The shared corpus of real, anonymised CloudTrail records, scanned with the real binary.
@Suite("Scan of the shared corpus", .enabled(if: isSharedCorpusPresent, "\(sharedCorpusAbsent)"))
struct CorpusScanTests {
    /// Records in every log file under the corpus, counted independently of
    /// trailscan: gzip and JSON through the system and Foundation.
    static func recordCount(in folder: URL) throws -> Int {
        var count = 0
        for file in files(under: folder) where !file.path.contains("CloudTrail-Digest") {
            let name = file.lastPathComponent
            if name.hasSuffix(".ndjson") {
                let text = try String(contentsOf: file, encoding: .utf8)
                count += text.split(separator: "\n").filter { !$0.allSatisfy(\.isWhitespace) }.count
            } else if name.hasSuffix(".json.gz") {
                let object = try JSONSerialization.jsonObject(with: try gunzip(file)) as? [String: Any]
                count += (object?["Records"] as? [Any])?.count ?? 0
            }
        }
        return count
    }

    @Test("corpus scan stores every file")
    func corpusScan() throws {
        let folder = try TemporaryFolder()
        let database = folder.path("c.db")
        let result = try Trailscan.run(["scan", sharedCorpus.path, "--db", database])
        #expect(result.status == 0, "stderr: \(result.standardError)")

        let db = try Database(database)
        let logFiles = files(under: sharedCorpus).filter {
            !$0.path.contains("CloudTrail-Digest") && ($0.path.hasSuffix(".json.gz") || $0.path.hasSuffix(".ndjson"))
        }
        let doneRows = try db.rows("SELECT path FROM inputs WHERE status = 'done' ORDER BY path").map { $0[0] }
        #expect(doneRows == logFiles.map(\.path))

        let digestRows = try db.rows("SELECT status FROM inputs WHERE path LIKE '%CloudTrail-Digest%'").map { $0[0] }
        #expect(digestRows == ["skipped", "skipped"])
        #expect(try db.value("SELECT count(*) FROM inputs WHERE status = 'failed'") == "0")

        let expectedRecords = try Self.recordCount(in: sharedCorpus)
        #expect(try db.value("SELECT sum(records) FROM inputs") == String(expectedRecords))

        let findings = Int(try db.value("SELECT count(*) FROM findings")) ?? 0
        #expect(findings > 0)
        #expect(try db.value("SELECT count(*) FROM findings WHERE reasons IN ('', '[]') OR reasons IS NULL") == "0")
    }

    @Test("second scan reads nothing")
    func rescanReadsNothing() throws {
        let folder = try TemporaryFolder()
        let database = folder.path("c.db")
        try Trailscan.run(["scan", sharedCorpus.path, "--db", database])
        let before = try Database(database).rows("SELECT event_id, rule, score, reasons FROM findings ORDER BY event_id, rule")

        let second = try Trailscan.run(["scan", sharedCorpus.path, "--db", database])
        #expect(second.status == 0)
        let db = try Database(database)
        #expect(try db.value("SELECT inputs FROM runs ORDER BY id DESC LIMIT 1") == "0")
        #expect(try db.value("SELECT records FROM runs ORDER BY id DESC LIMIT 1") == "0")
        #expect(try db.rows("SELECT event_id, rule, score, reasons FROM findings ORDER BY event_id, rule") == before)
    }

    @Test("NDJSON on stdin equals the files")
    func standardInputMatchesFiles() throws {
        let folder = try TemporaryFolder()
        let fromFiles = folder.path("files.db")
        let fromStream = folder.path("stream.db")
        try Trailscan.run(["scan", sharedCorpus.appendingPathComponent("AWSLogs").path, "--db", fromFiles])
        let streamed = try Trailscan.run(
            ["scan", "-", "--db", fromStream], standardInput: sharedCorpus.appendingPathComponent("stream/events.ndjson"))
        #expect(streamed.status == 0, "stderr: \(streamed.standardError)")

        let query = "SELECT event_id, rule, score FROM findings ORDER BY event_id, rule"
        let expected = try Database(fromFiles).rows(query)
        #expect(!expected.isEmpty)
        #expect(try Database(fromStream).rows(query) == expected)
    }

    @Test("EventBridge envelopes on stdin equal their records")
    func envelopesMatchRecords() throws {
        let folder = try TemporaryFolder()
        let envelopes = sharedCorpus.appendingPathComponent("stream/eventbridge.ndjson")
        let lines = try String(contentsOf: envelopes, encoding: .utf8).split(separator: "\n")
        let details = try lines.map { line in
            try #require((try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])?["detail"])
        }
        let recordsFile = folder.url.appendingPathComponent("records.json")
        try JSONSerialization.data(withJSONObject: ["Records": details]).write(to: recordsFile)

        let fromRecords = folder.path("records.db")
        let fromEnvelopes = folder.path("envelopes.db")
        try Trailscan.run(["scan", recordsFile.path, "--db", fromRecords])
        let streamed = try Trailscan.run(["scan", "-", "--db", fromEnvelopes], standardInput: envelopes)
        #expect(streamed.status == 0, "stderr: \(streamed.standardError)")

        let query = "SELECT event_id, rule, score FROM findings ORDER BY event_id, rule"
        let expected = try Database(fromRecords).rows(query)
        #expect(!expected.isEmpty)
        #expect(try Database(fromEnvelopes).rows(query) == expected)
        #expect(try Database(fromEnvelopes).value("SELECT sum(records) FROM inputs") == String(lines.count))
    }

    @Test("jobs and file order do not change findings")
    func deterministicFindings() throws {
        let folder = try TemporaryFolder()
        let logs = files(under: sharedCorpus.appendingPathComponent("AWSLogs")).map(\.path)
        let runs: [[String]] = [
            ["scan", sharedCorpus.path, "--jobs", "1"],
            ["scan", sharedCorpus.path, "--jobs", "2"],
            ["scan"] + logs.reversed() + ["--jobs", "2"],
            ["scan"] + logs.reversed() + ["--jobs", "1"],
        ]
        var results: [[[String]]] = []
        for (index, arguments) in runs.enumerated() {
            let database = folder.path("run\(index).db")
            let result = try Trailscan.run(arguments + ["--db", database])
            #expect(result.status == 0, "stderr: \(result.standardError)")
            results.append(try Database(database).rows(
                "SELECT event_id, rule, score, severity, reasons FROM findings WHERE source NOT LIKE '%.ndjson' ORDER BY event_id, rule"))
        }
        #expect(!results[0].isEmpty)
        for index in 1..<results.count {
            #expect(results[index] == results[0], "run \(index) differs from run 0")
        }
    }
}
