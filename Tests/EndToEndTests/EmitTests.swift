import Foundation
import Testing

/// `scan --emit ndjson`: one JSON line per new finding on standard output.
@Suite("Scan --emit ndjson")
struct EmitTests {
    static let keys: Set<String> = [
        "event_id", "rule", "score", "severity", "event_time", "account_id", "region", "event_source", "event_name",
        "principal_arn", "source_ip", "reasons", "source",
    ]

    /// Every line of `output` parsed as a JSON object; fails the test on any other line.
    static func objects(in output: String) throws -> [[String: Any]] {
        try output.split(separator: "\n").map { line in
            let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
            return try #require(object, "not a JSON object: \(line.prefix(200))")
        }
    }

    @Test("lines equal the new findings")
    func linesEqualNewFindings() throws {
        let folder = try TemporaryFolder()
        let tree = folder.url.appendingPathComponent("logs")
        try ShardedTree.write(to: tree)
        let database = folder.path("emit.db")

        let result = try Trailscan.run(["scan", tree.path, "--db", database, "--emit", "ndjson"])
        #expect(result.status == 0, "stderr: \(result.standardError)")
        let objects = try Self.objects(in: result.standardOutput)
        let stored = try Database(database).rows("SELECT event_id, rule, source FROM findings ORDER BY event_id, rule")
        #expect(objects.count == stored.count)
        #expect(result.standardError.contains("; \(stored.count) new findings"), "stderr: \(result.standardError)")

        for object in objects {
            #expect(Set(object.keys) == Self.keys)
            #expect(object["score"] is NSNumber)
            #expect(object["reasons"] is [Any])
        }
        let emitted = objects.map { [$0["event_id"] as? String ?? "", $0["rule"] as? String ?? "", $0["source"] as? String ?? ""] }
        #expect(emitted.sorted { $0.lexicographicallyPrecedes($1) } == stored)
    }

    @Test("second scan emits nothing")
    func secondScanEmitsNothing() throws {
        let folder = try TemporaryFolder()
        let database = folder.path("again.db")
        let first = try Trailscan.run(["scan", samplesFolder.path, "--db", database, "--emit", "ndjson", "--quiet"])
        #expect(!first.standardOutput.isEmpty)

        let second = try Trailscan.run(["scan", samplesFolder.path, "--db", database, "--emit", "ndjson", "--quiet"])
        #expect(second.standardOutput.isEmpty)
    }

    @Test("standard input emits its findings")
    func standardInput() throws {
        let folder = try TemporaryFolder()
        let stream = folder.url.appendingPathComponent("events.ndjson")
        let records = (0..<30).map { ShardedTree.record(account: "111122223333", region: "us-east-1", day: 3, index: $0) }
        try (records.joined(separator: "\n") + "\n").write(to: stream, atomically: true, encoding: .utf8)
        let database = folder.path("stdin.db")

        let result = try Trailscan.run(["scan", "-", "--db", database, "--emit", "ndjson"], standardInput: stream)
        #expect(result.status == 0, "stderr: \(result.standardError)")
        let objects = try Self.objects(in: result.standardOutput)
        #expect(!objects.isEmpty)
        #expect(String(objects.count) == (try Database(database).value("SELECT count(*) FROM findings")))
        #expect(objects.allSatisfy { $0["source"] as? String == "stdin" })
    }

    @Test("scores are the stored static scores")
    func scoresAreStatic() throws {
        let folder = try TemporaryFolder()
        let database = folder.path("static.db")
        let result = try Trailscan.run(["scan", samplesFolder.path, "--db", database, "--emit", "ndjson"])
        let objects = try Self.objects(in: result.standardOutput)
        let db = try Database(database)
        for object in objects {
            let eventID = try #require(object["event_id"] as? String)
            let rule = try #require(object["rule"] as? String)
            let staticScore = try db.value(
                """
                SELECT min(100, coalesce((SELECT sum(json_extract(r.value, '$.points'))
                    FROM json_each(CASE static_reasons WHEN '' THEN reasons ELSE static_reasons END) AS r), 0))
                FROM findings WHERE event_id = '\(eventID)' AND rule = '\(rule)'
                """)
            #expect((object["score"] as? NSNumber)?.stringValue == staticScore, "\(eventID) \(rule)")
        }
    }
}
