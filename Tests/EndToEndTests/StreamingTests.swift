import Foundation
import Glibc
import Testing

@Suite("Streaming standard input")
struct StreamingTests {
    /// The sample stream's records, one per line.
    static func sampleLines() throws -> [String] {
        try String(contentsOf: samplesFolder.appendingPathComponent("stream/events.ndjson"), encoding: .utf8)
            .split(separator: "\n").map(String.init)
    }

    /// Polls `sql` on the database until it returns a non-zero count or `seconds` pass.
    static func waitForRows(_ database: String, _ sql: String, seconds: Double) -> Int {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if FileManager.default.fileExists(atPath: database), let value = try? Database(database).value(sql),
               let count = Int(value), count > 0
            {
                return count
            }
            usleep(100_000)
        }
        return 0
    }

    @Test("findings commit before end of input and survive SIGTERM")
    func slowFeedThenTerminate() throws {
        let folder = try TemporaryFolder()
        let database = folder.path("stream.db")
        let lines = try Self.sampleLines()

        let process = Process()
        process.executableURL = Trailscan.binary
        process.arguments = ["scan", "-", "--db", database, "--jobs", "2"]
        let input = Pipe()
        let error = Pipe()
        process.standardInput = input
        process.standardOutput = FileHandle.nullDevice
        process.standardError = error
        try process.run()
        let errors = DrainedPipe(error)

        // Half the lines, slowly, then nothing: the batch must commit on its own.
        let half = lines.count / 2
        for line in lines[..<half] {
            input.fileHandleForWriting.write(Data((line + "\n").utf8))
            usleep(20_000)
        }
        let seen = Self.waitForRows(database, "SELECT records FROM inputs WHERE path = 'stdin'", seconds: 10)
        #expect(seen == half, "the first half should be committed while the pipe stays open")
        #expect(process.isRunning)

        for line in lines[half...] {
            input.fileHandleForWriting.write(Data((line + "\n").utf8))
        }
        usleep(300_000)
        kill(process.processIdentifier, SIGTERM)
        process.waitUntilExit()
        try? input.fileHandleForWriting.close()

        #expect(process.terminationStatus == 0, "stderr: \(errors.text())")
        let db = try Database(database)
        #expect(try db.value("SELECT records FROM inputs WHERE path = 'stdin'") == String(lines.count))
        #expect(try db.value("SELECT count(*) FROM findings") == "10")
        #expect(try db.value("SELECT count(*) FROM runs WHERE finished_at IS NOT NULL") == "1")
    }

    @Test("parallel stdin equals one worker")
    func parallelEqualsSequential() throws {
        let folder = try TemporaryFolder()
        let lines = try Self.sampleLines()
        // Many copies with fresh eventIDs, so that several chunks exist.
        var text = ""
        for copy in 0..<400 {
            for (index, line) in lines.enumerated() {
                text += line.replacingOccurrences(
                    of: #""eventID":""#, with: #""eventID":"copy\#(copy)-\#(index)-"#) + "\n"
            }
        }
        let input = folder.url.appendingPathComponent("many.ndjson")
        try text.write(to: input, atomically: true, encoding: .utf8)

        var results: [[[String]]] = []
        for jobs in ["1", "2"] {
            let database = folder.path("jobs\(jobs).db")
            let result = try Trailscan.run(["scan", "-", "--db", database, "--jobs", jobs], standardInput: input)
            #expect(result.status == 0, "stderr: \(result.standardError)")
            let db = try Database(database)
            #expect(try db.value("SELECT records FROM inputs WHERE path = 'stdin'") == String(lines.count * 400))
            results.append(try db.rows("SELECT event_id, rule, score, reasons FROM findings ORDER BY event_id, rule"))
        }
        #expect(results[0].count == 4000)
        #expect(results[0] == results[1])
    }

    @Test("stdin long line and bad line")
    func longLineAndBadLine() throws {
        let folder = try TemporaryFolder()
        func record(_ id: String, extra: String = "") -> String {
            #"{"eventTime":"2025-06-11T02:15:00Z","eventSource":"cloudtrail.amazonaws.com","eventName":"StopLogging","#
                + #""eventType":"AwsApiCall","#
                + #""awsRegion":"us-east-1","eventID":"\#(id)","recipientAccountId":"111122223333","#
                + #""userIdentity":{"type":"IAMUser","arn":"arn:aws:iam::111122223333:user/alice"}\#(extra)}"#
        }
        // 12 MiB is more than a chunk (4 MiB) and its buffer, so the chunker
        // has to grow a buffer and the line still arrives whole. The filler
        // lines put the bad line in a later chunk than the first.
        let payload = String(repeating: "A", count: 12 << 20)
        var lines = [record("first"), record("big", extra: #","requestParameters":{"name":"\#(payload)"}"#)]
        let filler = (0..<65_000).map { record("filler-\($0)") }
        lines += filler
        lines.append(#"{"eventID": oops}"#)
        lines.append(record("last"))
        let input = folder.url.appendingPathComponent("long.ndjson")
        try (lines.joined(separator: "\n") + "\n").write(to: input, atomically: true, encoding: .utf8)
        let badOffset = lines.prefix(lines.count - 2).reduce(0) { $0 + $1.utf8.count + 1 }

        let database = folder.path("long.db")
        let result = try Trailscan.run(["scan", "-", "--db", database, "--jobs", "2"], standardInput: input)

        #expect(result.status == 3, "stderr: \(result.standardError)")
        #expect(result.standardError.contains("stdin"))
        #expect(result.standardError.contains("line \(lines.count - 1), byte \(badOffset + 12)"),
                "stderr: \(result.standardError)")
        let db = try Database(database)
        #expect(try db.value("SELECT records FROM inputs WHERE path = 'stdin'") == String(lines.count - 1))
        // Three batches (of at most 30,000 records): the count carries over between commits.
        #expect(try db.value("SELECT findings FROM inputs WHERE path = 'stdin'") == String(lines.count - 1))
        #expect(try db.value("SELECT count(*) FROM findings WHERE rule = 'CloudTrailLoggingStopped'")
                == String(lines.count - 1))
        #expect(try db.value("SELECT length(event) > 12000000 FROM findings WHERE event_id = 'big'") == "1")
        #expect(try db.value("SELECT count(*) FROM findings WHERE event_id IN ('first', 'last')") == "2")
    }

    @Test("second stdin run counts new only")
    func repeatedStream() throws {
        let folder = try TemporaryFolder()
        let input = samplesFolder.appendingPathComponent("stream/events.ndjson")
        let database = folder.path("repeat.db")

        let first = try Trailscan.run(["scan", "-", "--db", database, "--fail-on", "low"], standardInput: input)
        #expect(first.status == 1, "stderr: \(first.standardError)")
        #expect(first.standardError.contains("10 new findings ("))

        // The same events again: nothing is new, so nothing reaches the threshold.
        let second = try Trailscan.run(["scan", "-", "--db", database, "--fail-on", "low"], standardInput: input)
        #expect(second.status == 0, "stderr: \(second.standardError)")
        #expect(second.standardError.contains("0 new findings (0 critical, 0 high, 0 medium, 0 low)"),
                "stderr: \(second.standardError)")
    }
}
