import Foundation
import Glibc
import Testing

/// Returns a CloudTrail record that the built-in rule CloudTrailLoggingStopped
/// matches, so every readable hostile record leaves one finding. `extra` is
/// inserted as further members and must start with a comma.
private func stopLogging(id: String, extra: String = "") -> String {
    #"{"eventVersion":"1.08","eventTime":"2025-06-11T02:15:00Z","eventSource":"cloudtrail.amazonaws.com","#
        + #""eventName":"StopLogging","eventType":"AwsApiCall","awsRegion":"us-east-1","eventID":"\#(id)","#
        + #""recipientAccountId":"111122223333","userIdentity":{"type":"IAMUser","#
        + #""arn":"arn:aws:iam::111122223333:user/alice","accountId":"111122223333"}\#(extra)}"#
}

/// The result of one run of the binary, with its peak memory.
private struct MeasuredRun {
    var status: Int32
    var standardError: String
    /// The child's peak resident set size, from `wait4`, in bytes.
    /// NOTE: on Linux this includes the test process's own peak until
    /// the spawn, because `posix_spawn` runs the child in the parent's memory
    /// until `exec`, and `exec` counts that memory's peak.
    var maximumResidentBytes: Int
}

/// Runs the `trailscan` binary with `posix_spawn` and `wait4`, so that the
/// peak memory of this one child is known. Output goes to files in `folder`
/// rather than pipes, so a large output cannot block the child.
private func runMeasured(_ arguments: [String], in folder: TemporaryFolder) throws -> MeasuredRun {
    let errorPath = folder.path("stderr.txt")
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
    posix_spawn_file_actions_addopen(&actions, 1, folder.path("stdout.txt"), O_WRONLY | O_CREAT | O_TRUNC, 0o644)
    posix_spawn_file_actions_addopen(&actions, 2, errorPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)

    let argv = ([Trailscan.binary.path] + arguments).map { strdup($0) } + [nil]
    defer { argv.forEach { free($0) } }
    var environment = ProcessInfo.processInfo.environment
    environment.removeValue(forKey: "TRAILSCAN_DB")
    let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
    defer { envp.forEach { free($0) } }

    var pid: pid_t = 0
    let spawned = posix_spawn(&pid, Trailscan.binary.path, &actions, nil, argv, envp)
    try #require(spawned == 0, "posix_spawn failed with error \(spawned)")

    var status: Int32 = 0
    var usage = rusage()
    while wait4(pid, &status, 0, &usage) < 0 {
        try #require(errno == EINTR, "wait4 failed with errno \(errno)")
    }
    let exitStatus = (status & 0x7F) == 0 ? (status >> 8) & 0xFF : 128 + (status & 0x7F)
    let standardError = (try? String(contentsOfFile: errorPath, encoding: .utf8)) ?? ""
    // Linux reports ru_maxrss in kilobytes.
    return MeasuredRun(status: exitStatus, standardError: standardError, maximumResidentBytes: usage.ru_maxrss * 1024)
}

/// Streams `count` bytes from `chunk`, repeated, through `gzip -1` into `path`.
private func writeCompressed(repeating chunk: Data, count: Int, prefix: Data, suffix: Data, to path: String) throws {
    _ = FileManager.default.createFile(atPath: path, contents: nil)
    let output = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
    defer { try? output.close() }
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/bin/gzip")
    process.arguments = ["-1", "-c"]
    let input = Pipe()
    process.standardInput = input
    process.standardOutput = output
    try process.run()

    let writer = input.fileHandleForWriting
    writer.write(prefix)
    var written = 0
    while written < count {
        let piece = chunk.prefix(count - written)
        writer.write(piece)
        written += piece.count
    }
    writer.write(suffix)
    try writer.close()
    process.waitUntilExit()
    try #require(process.terminationStatus == 0, "gzip exited with \(process.terminationStatus)")
}

/// Writes the good file that every hostile scan also reads, because its
/// finding must survive the hostile input next to it.
private func writeGoodFile(in folder: TemporaryFolder) throws -> String {
    let path = folder.path("good.ndjson")
    try (stopLogging(id: "good-1") + "\n").write(toFile: path, atomically: true, encoding: .utf8)
    return path
}

/// Returns the status, record count and error text of the `inputs` row of the file named `name`.
private func inputRow(_ db: Database, _ name: String) throws -> [String] {
    try db.rows("SELECT status, records, error FROM inputs WHERE path LIKE '%/\(name)'").first ?? []
}

@Suite("Hostile inputs", .serialized, .timeLimit(.minutes(5)))
struct HostileInputTests {
    @Test("50 MB record is read with bounded memory")
    func fiftyMegabyteRecord() throws {
        let folder = try TemporaryFolder()
        _ = try writeGoodFile(in: folder)
        // Written a megabyte at a time: a spawned child's peak RSS, as wait4
        // reports it, includes this process's peak, so the test keeps its own
        // memory small.
        let parts = stopLogging(id: "big-1", extra: #","requestParameters":{"name":"PAYLOAD"}"#)
            .components(separatedBy: "PAYLOAD")
        _ = FileManager.default.createFile(atPath: folder.path("big.ndjson"), contents: nil)
        let file = try FileHandle(forWritingTo: URL(fileURLWithPath: folder.path("big.ndjson")))
        file.write(Data(parts[0].utf8))
        let megabyte = Data(repeating: UInt8(ascii: "A"), count: 1 << 20)
        for _ in 0..<50 { file.write(megabyte) }
        file.write(Data((parts[1] + "\n").utf8))
        try file.close()

        let database = folder.path("scan.db")
        let run = try runMeasured(["scan", folder.path("big.ndjson"), folder.path("good.ndjson"), "--db", database], in: folder)

        #expect(run.status == 0, "stderr: \(run.standardError)")
        #expect(run.maximumResidentBytes < 400 << 20, "peak RSS \(run.maximumResidentBytes >> 20) MiB")
        let db = try Database(database)
        #expect(try inputRow(db, "big.ndjson").prefix(2) == ["done", "1"])
        #expect(try db.value("SELECT count(*) FROM findings WHERE event_id IN ('big-1', 'good-1')") == "2")
        #expect(try db.value("SELECT length(event) > 50000000 FROM findings WHERE event_id = 'big-1'") == "1")
    }

    @Test("10,000 levels of nesting is one bad line")
    func deepNesting() throws {
        let folder = try TemporaryFolder()
        _ = try writeGoodFile(in: folder)
        let deep = String(repeating: #"{"a":"#, count: 10_000) + "1" + String(repeating: "}", count: 10_000)
        let lines = [stopLogging(id: "before"), deep, stopLogging(id: "after")]
        try lines.joined(separator: "\n").write(toFile: folder.path("deep.ndjson"), atomically: true, encoding: .utf8)

        let database = folder.path("scan.db")
        let result = try Trailscan.run(["scan", folder.url.path, "--db", database])

        #expect(result.status == 3)
        #expect(result.standardError.contains("deep.ndjson"))
        #expect(result.standardError.contains("line 2"))
        #expect(result.standardError.contains("nesting deeper than 512 levels"))
        let db = try Database(database)
        #expect(try db.value("SELECT count(*) FROM findings") == "3")
    }

    @Test("invalid UTF-8 and NUL bytes")
    func invalidBytes() throws {
        let folder = try TemporaryFolder()
        _ = try writeGoodFile(in: folder)
        var bytes = Data(stopLogging(id: "utf8", extra: #","userAgent":"bad "#).utf8)
        bytes.removeLast(1)
        bytes += Data([0xC3, 0x28, 0xFF, 0xFE, 0xED, 0xA0, 0x80]) + Data("\"}\n".utf8)
        bytes += Data(stopLogging(id: "nul", extra: #","userAgent":"a"#).utf8.dropLast()) + Data([0]) + Data("\"}\n".utf8)
        bytes += Data(repeating: 0, count: 64) + Data("\n".utf8)
        bytes += Data(stopLogging(id: "escaped-nul", extra: #","userAgent":"a\u0000b""#).utf8) + Data("\n".utf8)
        try bytes.write(to: folder.url.appendingPathComponent("bytes.ndjson"))

        let database = folder.path("scan.db")
        let result = try Trailscan.run(["scan", folder.url.path, "--db", database])

        #expect(result.status == 3)
        #expect(result.standardError.contains("bytes.ndjson: 2 unreadable records, the first at line 2"))
        let db = try Database(database)
        let ids = try db.rows("SELECT event_id FROM findings ORDER BY event_id").map { $0[0] }
        #expect(ids == ["escaped-nul", "good-1", "utf8"])
        let agent = try db.value("SELECT user_agent FROM findings WHERE event_id = 'utf8'")
        #expect(agent.hasPrefix("bad "))
        #expect(agent.contains("\u{FFFD}"))
    }

    @Test("extreme numbers and duplicate keys are read")
    func numbersAndDuplicateKeys() throws {
        let folder = try TemporaryFolder()
        _ = try writeGoodFile(in: folder)
        let lines = [
            stopLogging(id: "inf", extra: #","n":1e999"#),
            stopLogging(id: "negative-zero", extra: #","n":-0"#),
            stopLogging(id: "huge", extra: #","n":123456789012345678901234567890123456789"#),
            stopLogging(id: "duplicate", extra: #","eventName":"GetObject","eventName":"DeleteTrail""#),
        ]
        try lines.joined(separator: "\n").write(toFile: folder.path("numbers.ndjson"), atomically: true, encoding: .utf8)

        let database = folder.path("scan.db")
        let result = try Trailscan.run(["scan", folder.url.path, "--db", database])

        #expect(result.status == 0, "stderr: \(result.standardError)")
        let db = try Database(database)
        #expect(try db.value("SELECT count(*) FROM findings") == "5")
        // The first of duplicate keys is the value stored.
        #expect(try db.value("SELECT event_name FROM findings WHERE event_id = 'duplicate'") == "StopLogging")
    }

    @Test(
        "200 MB of highly compressible data",
        arguments: [("spaces", UInt8(ascii: " "), "done"), ("zeros", UInt8(0), "failed")])
    func compressiblePadding(name: String, byte: UInt8, inputStatus: String) throws {
        let folder = try TemporaryFolder()
        _ = try writeGoodFile(in: folder)
        let path = folder.path("\(name).ndjson.gz")
        try writeCompressed(
            repeating: Data(repeating: byte, count: 1 << 20), count: 200 << 20,
            prefix: Data((stopLogging(id: "\(name)-before") + "\n").utf8),
            suffix: Data(("\n" + stopLogging(id: "\(name)-after") + "\n").utf8), to: path)

        let database = folder.path("scan.db")
        let run = try runMeasured(["scan", path, folder.path("good.ndjson"), "--db", database], in: folder)

        // Spaces are padding between records. Zeros are one line of garbage,
        // which is counted as a bad record and fails the input.
        #expect(run.status == (inputStatus == "done" ? 0 : 3), "stderr: \(run.standardError)")
        #expect(run.maximumResidentBytes < 400 << 20, "peak RSS \(run.maximumResidentBytes >> 20) MiB")
        let db = try Database(database)
        #expect(try db.value("SELECT count(*) FROM findings") == "3")
        #expect(try inputRow(db, "\(name).ndjson.gz").prefix(2) == [inputStatus, "2"])
        if inputStatus == "failed" {
            #expect(run.standardError.contains("\(name).ndjson.gz: 1 unreadable record, the first at line 2"))
        }
    }

    @Test("file deleted during the scan")
    func vanishingFile() throws {
        let folder = try TemporaryFolder()
        for index in 0..<200 {
            try (stopLogging(id: "good-\(index)") + "\n")
                .write(toFile: folder.path(String(format: "good-%03d.ndjson", index)), atomically: true, encoding: .utf8)
        }
        let victim = folder.path("vanishing.ndjson")
        try (stopLogging(id: "victim") + "\n").write(toFile: victim, atomically: true, encoding: .utf8)
        // A link to a file that no longer exists: discovery finds the name but cannot read it.
        try FileManager.default.createSymbolicLink(atPath: folder.path("dangling.ndjson"), withDestinationPath: folder.path("gone"))

        // NOTE: the deletion races with the scan, so the victim may vanish
        // before discovery lists the folder (not mentioned), between the
        // listing and its `stat` (a discovery error naming it), between
        // discovery and reading (a read error naming it) or after reading (a
        // finding). All four are valid.
        let database = folder.path("scan.db")
        let deleter = Thread { usleep(20_000); unlink(victim) }
        deleter.start()
        let result = try Trailscan.run(["scan", folder.url.path, "--db", database, "--jobs", "1"])

        #expect(result.status == 3)
        #expect(result.standardError.contains("dangling.ndjson: cannot read: No such file or directory"))
        let db = try Database(database)
        #expect(try db.value("SELECT count(*) FROM findings WHERE event_id LIKE 'good-%'") == "200")
        let victimFound = try db.value("SELECT count(*) FROM findings WHERE event_id = 'victim'") == "1"
        if !victimFound && result.standardError.contains("vanishing.ndjson") {
            let isReadError = result.standardError.contains("vanishing.ndjson: cannot open: No such file or directory")
            let isDiscoveryError = result.standardError.contains(
                "vanishing.ndjson: cannot read: No such file or directory; the file was removed during the scan")
            #expect(isReadError || isDiscoveryError)
        }
    }

    @Test("unreadable file", .enabled(if: getuid() != 0, "root reads files whatever their mode"))
    func unreadableFile() throws {
        let folder = try TemporaryFolder()
        _ = try writeGoodFile(in: folder)
        let locked = folder.path("locked.ndjson")
        try (stopLogging(id: "locked") + "\n").write(toFile: locked, atomically: true, encoding: .utf8)
        chmod(locked, 0)
        defer { chmod(locked, 0o644) }

        let database = folder.path("scan.db")
        let result = try Trailscan.run(["scan", folder.url.path, "--db", database])

        #expect(result.status == 3)
        #expect(result.standardError.contains("locked.ndjson: cannot open: Permission denied"))
        #expect(try Database(database).value("SELECT count(*) FROM findings") == "1")
    }

    @Test("symbolic link loops")
    func symbolicLinkLoops() throws {
        let folder = try TemporaryFolder()
        _ = try writeGoodFile(in: folder)
        try FileManager.default.createDirectory(atPath: folder.path("tree/sub"), withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: folder.path("tree/sub/up"), withDestinationPath: "../..")
        try FileManager.default.createSymbolicLink(atPath: folder.path("tree/self.json"), withDestinationPath: "self.json")

        let database = folder.path("scan.db")
        let result = try Trailscan.run(["scan", folder.url.path, "--db", database])

        #expect(result.status == 3)
        #expect(result.standardError.contains("self.json: cannot read: Too many levels of symbolic links"))
        #expect(result.standardError.contains("a symbolic link points back to itself"))
        let db = try Database(database)
        #expect(try db.value("SELECT count(*) FROM findings") == "1")
        #expect(try db.value("SELECT count(*) FROM inputs WHERE path LIKE '%good.ndjson'") == "1")
    }

    @Test("database in a missing folder")
    func databaseInMissingFolder() throws {
        let folder = try TemporaryFolder()
        let good = try writeGoodFile(in: folder)
        let database = folder.path("missing/sub/scan.db")

        let result = try Trailscan.run(["scan", good, "--db", database])

        #expect([2, 3].contains(result.status))
        #expect(result.standardError.contains("trailscan: error:"))
        #expect(result.standardError.contains(database))
        #expect(!FileManager.default.fileExists(atPath: folder.path("missing")))
    }

    @Test("read-only database location")
    func readOnlyDatabase() throws {
        let folder = try TemporaryFolder()
        let good = try writeGoodFile(in: folder)
        // Root ignores a folder's mode, so as root the database goes under
        // /proc, where no process can create files.
        let database: String
        if getuid() == 0 {
            database = "/proc/trailscan-tests-\(UUID().uuidString).db"
        } else {
            try FileManager.default.createDirectory(atPath: folder.path("locked"), withIntermediateDirectories: false)
            chmod(folder.path("locked"), 0o555)
            database = folder.path("locked/scan.db")
        }
        defer { chmod(folder.path("locked"), 0o755) }

        let result = try Trailscan.run(["scan", good, "--db", database])

        #expect([2, 3].contains(result.status))
        #expect(result.standardError.contains("trailscan: error:"))
        #expect(result.standardError.contains(database))
        #expect(!FileManager.default.fileExists(atPath: database))
    }
}
