import Foundation
import Testing

@Suite("Bad inputs")
struct BadInputTests {
    /// A folder with one good sample file and three broken `.json.gz` files.
    static func makeFolder() throws -> TemporaryFolder {
        let folder = try TemporaryFolder()
        let good = try #require(files(under: samplesFolder.appendingPathComponent("AWSLogs/111122223333/CloudTrail/us-east-1/2025/06/11"))
            .first { $0.lastPathComponent.contains("20250611T0215Z") })
        try FileManager.default.copyItem(at: good, to: folder.url.appendingPathComponent("good.json.gz"))
        let bytes = try Data(contentsOf: good)
        try bytes.prefix(bytes.count / 2).write(to: folder.url.appendingPathComponent("truncated.json.gz"))
        try Data().write(to: folder.url.appendingPathComponent("empty.json.gz"))
        // Fixed pseudo-random bytes (a 64-bit linear congruential generator),
        // so a failure can be reproduced.
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        let noise = (0..<4096).map { _ -> UInt8 in
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return UInt8(truncatingIfNeeded: state >> 56)
        }
        try Data(noise).write(to: folder.url.appendingPathComponent("random.json.gz"))
        return folder
    }

    @Test("broken files fail, the good one commits")
    func brokenFiles() throws {
        let folder = try Self.makeFolder()
        let databaseFolder = try TemporaryFolder()
        let database = databaseFolder.path("bad.db")
        let result = try Trailscan.run(["scan", folder.url.path, "--db", database])
        #expect(result.status == 3)

        let db = try Database(database)
        let rows = try db.rows("SELECT path, status, error FROM inputs ORDER BY path")
        let byName = Dictionary(uniqueKeysWithValues: rows.map { (URL(fileURLWithPath: $0[0]).lastPathComponent, ($0[1], $0[2])) })
        #expect(byName["good.json.gz"]?.0 == "done")
        #expect(byName["empty.json.gz"]?.0 == "failed")
        #expect(byName["empty.json.gz"]?.1.contains("empty (0 bytes)") == true)
        #expect(byName["truncated.json.gz"]?.0 == "failed")
        #expect(byName["truncated.json.gz"]?.1.contains("truncated") == true)
        #expect(byName["random.json.gz"]?.0 == "failed")
        #expect(byName["random.json.gz"]?.1.contains("not JSON or is damaged") == true)

        let goodPath = folder.url.appendingPathComponent("good.json.gz").path
        let goodFindings = try db.value("SELECT count(*) FROM findings WHERE source = '\(goodPath)'")
        #expect(goodFindings == "3")
        #expect(result.standardError.contains("empty.json.gz"))
        #expect(result.standardError.contains("3 failed"))
    }

    @Test("re-run retries only failed inputs")
    func retriesFailed() throws {
        let folder = try Self.makeFolder()
        let databaseFolder = try TemporaryFolder()
        let database = databaseFolder.path("bad.db")
        try Trailscan.run(["scan", folder.url.path, "--db", database])
        let findings = try Database(database).value("SELECT count(*) FROM findings")

        let second = try Trailscan.run(["scan", folder.url.path, "--db", database])
        #expect(second.status == 3)
        let db = try Database(database)
        #expect(try db.value("SELECT inputs FROM runs ORDER BY id DESC LIMIT 1") == "3")
        #expect(try db.value("SELECT count(*) FROM findings") == findings)

        try FileManager.default.removeItem(at: folder.url.appendingPathComponent("random.json.gz"))
        try FileManager.default.removeItem(at: folder.url.appendingPathComponent("empty.json.gz"))
        try FileManager.default.removeItem(at: folder.url.appendingPathComponent("truncated.json.gz"))
        let third = try Trailscan.run(["scan", folder.url.path, "--db", database])
        #expect(third.status == 0)
    }

    @Test("a garbage line on stdin is counted")
    func garbageLine() throws {
        let folder = try TemporaryFolder()
        let lines = try String(contentsOf: samplesFolder.appendingPathComponent("stream/events.ndjson"), encoding: .utf8)
            .split(separator: "\n")
        let mixed = ([String(lines[0]), "\u{1}\u{2}garbage\u{7F}", ] + lines.dropFirst().map(String.init)).joined(separator: "\n")
        let input = folder.url.appendingPathComponent("mixed.ndjson")
        try mixed.write(to: input, atomically: true, encoding: .utf8)

        let database = folder.path("m.db")
        let result = try Trailscan.run(["scan", "-", "--db", database], standardInput: input)
        #expect(result.status == 3)
        #expect(result.standardError.contains("stdin: 1 unreadable record, the first at line 2"))
        let db = try Database(database)
        #expect(try db.value("SELECT records FROM inputs WHERE path = 'stdin'") == String(lines.count))
        #expect(try db.value("SELECT count(*) FROM findings") == "10")
    }
}
