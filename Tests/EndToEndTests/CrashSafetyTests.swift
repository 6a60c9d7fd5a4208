import Foundation
import Glibc
import Testing

@Suite("Crash safety and concurrent use")
struct CrashSafetyTests {
    static let findingsQuery = "SELECT event_id, rule, score, severity, reasons, source FROM findings ORDER BY event_id, rule"

    /// A multi-file corpus: the samples' log tree several times over, each
    /// copy's records given their own eventIDs by the generator script.
    static func makeCorpus(in folder: TemporaryFolder) throws -> URL {
        let corpus = folder.url.appendingPathComponent("corpus")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", repositoryRoot.appendingPathComponent("scripts/make-bench-corpus.py").path, corpus.path, "20000"]
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        return corpus.appendingPathComponent("AWSLogs")
    }

    @Test("SIGKILL at random moments loses and duplicates nothing")
    func killAndResume() throws {
        let folder = try TemporaryFolder()
        let corpus = try Self.makeCorpus(in: folder)

        let reference = folder.path("reference.db")
        #expect(try Trailscan.run(["scan", corpus.path, "--db", reference, "--quiet"]).status == 0)
        let expected = try Database(reference).rows(Self.findingsQuery)
        #expect(expected.count > 100)

        let inputCount = try Database(reference).value("SELECT count(*) FROM inputs")
        var interruptedRuns = 0

        // Fixed delays spread over a scan's life, so a failure can be reproduced.
        for (attempt, delay) in [0.05, 0.2, 0.45, 0.8, 1.3].enumerated() {
            let database = folder.path("killed\(attempt).db")
            let process = Process()
            process.executableURL = Trailscan.binary
            process.arguments = ["scan", corpus.path, "--db", database, "--quiet"]
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            usleep(UInt32(delay * 1_000_000))
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            if let done = try? Database(database).value("SELECT count(*) FROM inputs WHERE status = 'done'"), done != inputCount {
                interruptedRuns += 1
            }

            let resumed = try Trailscan.run(["scan", corpus.path, "--db", database, "--quiet"])
            #expect(resumed.status == 0, "attempt \(attempt): \(resumed.standardError)")
            let db = try Database(database)
            #expect(try db.rows(Self.findingsQuery) == expected, "attempt \(attempt) after \(delay) s")
            #expect(try db.value("SELECT count(*) FROM inputs WHERE status != 'done'") == "0", "attempt \(attempt)")
            #expect(try db.value("SELECT count(*) FROM inputs") == inputCount)
        }
        // The kills must land mid-scan for the check to mean anything.
        #expect(interruptedRuns >= 2)
    }

    @Test("report reads while a scan writes")
    func reportDuringScan() throws {
        let folder = try TemporaryFolder()
        let corpus = try Self.makeCorpus(in: folder)
        let database = folder.path("busy.db")
        #expect(try Trailscan.run(["scan", samplesFolder.path, "--db", database, "--quiet"]).status == 0)

        let scan = Process()
        scan.executableURL = Trailscan.binary
        scan.arguments = ["scan", corpus.path, "--db", database, "--quiet"]
        scan.standardOutput = FileHandle.nullDevice
        scan.standardError = FileHandle.nullDevice
        try scan.run()
        var reports = 0
        while scan.isRunning && reports < 20 {
            let report = try Trailscan.run(["report", "--db", database, "--format", "json"])
            #expect(report.status == 0, "stderr: \(report.standardError)")
            reports += 1
        }
        scan.waitUntilExit()
        #expect(scan.terminationStatus == 0)
        #expect(reports > 0)
    }

    @Test("two scans of one database do not duplicate")
    func concurrentScans() throws {
        let folder = try TemporaryFolder()
        let corpus = try Self.makeCorpus(in: folder)
        let reference = folder.path("reference.db")
        #expect(try Trailscan.run(["scan", corpus.path, "--db", reference, "--quiet"]).status == 0)

        let database = folder.path("shared.db")
        var processes: [Process] = []
        var errors: [DrainedPipe] = []
        for _ in 0..<2 {
            let process = Process()
            process.executableURL = Trailscan.binary
            process.arguments = ["scan", corpus.path, "--db", database, "--quiet"]
            process.standardOutput = FileHandle.nullDevice
            let error = Pipe()
            process.standardError = error
            try process.run()
            errors.append(DrainedPipe(error))
            processes.append(process)
        }
        for (index, process) in processes.enumerated() {
            process.waitUntilExit()
            #expect(process.terminationStatus == 0, "scan \(index): \(errors[index].text())")
        }
        let db = try Database(database)
        #expect(try db.rows(Self.findingsQuery) == (try Database(reference).rows(Self.findingsQuery)))
        #expect(try db.value("SELECT count(*) FROM (SELECT event_id, rule FROM findings GROUP BY 1, 2 HAVING count(*) > 1)") == "0")
    }
}

@Suite("Inputs that change")
struct ChangedInputTests {
    @Test("changed file is read again and replaced")
    func changedFileIsReplaced() throws {
        let folder = try TemporaryFolder()
        let lines = try String(contentsOf: samplesFolder.appendingPathComponent("stream/events.ndjson"), encoding: .utf8)
            .split(separator: "\n").map(String.init)
        let log = folder.url.appendingPathComponent("growing.ndjson")
        let database = folder.path("changed.db")

        try (lines[..<10].joined(separator: "\n") + "\n").write(to: log, atomically: true, encoding: .utf8)
        #expect(try Trailscan.run(["scan", log.path, "--db", database]).status == 0)
        let firstCount = try Database(database).value("SELECT count(*) FROM findings")

        // The same path with more records, as a log that is still being written.
        try (lines.joined(separator: "\n") + "\n").write(to: log, atomically: true, encoding: .utf8)
        let second = try Trailscan.run(["scan", log.path, "--db", database])
        #expect(second.status == 0)
        #expect(second.standardError.contains("1 input read"))
        let db = try Database(database)
        #expect(try db.value("SELECT records FROM inputs WHERE path = '\(log.path)'") == String(lines.count))
        #expect(try db.value("SELECT count(*) FROM findings") == "10")
        #expect(firstCount != "10")

        // Shorter again: findings of records that are gone are removed.
        try (lines[..<10].joined(separator: "\n") + "\n").write(to: log, atomically: true, encoding: .utf8)
        #expect(try Trailscan.run(["scan", log.path, "--db", database]).status == 0)
        #expect(try Database(database).value("SELECT count(*) FROM findings") == firstCount)
    }
}
