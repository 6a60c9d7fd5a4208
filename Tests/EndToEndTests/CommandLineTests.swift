import Foundation
import Testing

@Suite("Command line")
struct CommandLineTests {
    @Test("help and version", arguments: [["--help"], ["scan", "--help"], ["report", "--help"], ["--version"]])
    func help(arguments: [String]) throws {
        let result = try Trailscan.run(arguments)
        #expect(result.status == 0)
        #expect(!result.standardOutput.isEmpty)
        #expect(result.standardError.isEmpty)
    }

    @Test("version line")
    func version() throws {
        #expect(try Trailscan.run(["--version"]).standardOutput == "trailscan 0.1.0\n")
    }

    @Test("usage errors exit 2", arguments: [
        (["frobnicate"], "unknown command \"frobnicate\""),
        (["scan", "--jobs", "0", "x"], "--jobs must be a whole number of at least 1"),
        (["scan", "--fail-on", "severe", "x"], "--fail-on must be low, medium, high or critical"),
        (["scan", "--bogus"], "unknown option --bogus for scan"),
        (["scan", "--db"], "--db needs a value"),
        (["report", "--format", "pdf"], "--format must be text, markdown, html, csv or json, not \"pdf\""),
        (["scan", "/nonexistent/logs", "--db", "/tmp/unused.db"], "/nonexistent/logs not found"),
    ])
    func usageErrors(arguments: [String], message: String) throws {
        let result = try Trailscan.run(arguments)
        #expect(result.status == 2)
        #expect(result.standardError.contains(message), "stderr: \(result.standardError)")
    }

    @Test("invalid config exits 2")
    func invalidConfig() throws {
        let folder = try TemporaryFolder()
        let config = folder.url.appendingPathComponent("bad.json")
        try #"{"timezone": "Mars/Olympus"}"#.write(to: config, atomically: true, encoding: .utf8)
        let result = try Trailscan.run(["scan", samplesFolder.path, "--db", folder.path("x.db"), "--config", config.path])
        #expect(result.status == 2)
        #expect(result.standardError.contains("timezone"))
        #expect(result.standardError.contains("Mars/Olympus"))
        #expect(!FileManager.default.fileExists(atPath: folder.path("x.db")))
    }

    @Test("duplicate rule name exits 2")
    func duplicateRule() throws {
        let folder = try TemporaryFolder()
        let rules = folder.url.appendingPathComponent("rules")
        try FileManager.default.createDirectory(at: rules, withIntermediateDirectories: true)
        let original = repositoryRoot.appendingPathComponent("rules/impact/KMSKeyDeletionScheduled.json")
        try FileManager.default.copyItem(at: original, to: rules.appendingPathComponent("copy.json"))
        let result = try Trailscan.run(["scan", samplesFolder.path, "--db", folder.path("x.db"), "--rules", rules.path])
        #expect(result.status == 2)
        #expect(result.standardError.contains("copy.json"))
        #expect(result.standardError.contains("builtin:rules/impact/KMSKeyDeletionScheduled.json"))
    }

    @Test("fail-on reaches exit 1")
    func failOn() throws {
        let folder = try TemporaryFolder()
        let result = try Trailscan.run(["scan", samplesFolder.path, "--db", folder.path("x.db"), "--fail-on", "critical"])
        #expect(result.status == 1)
        let quiet = try Trailscan.run(["scan", samplesFolder.path, "--db", folder.path("y.db"), "--fail-on", "critical", "--quiet"])
        #expect(quiet.status == 1)
        #expect(quiet.standardError.isEmpty)
    }

    @Test("TRAILSCAN_DB names the database")
    func databaseFromEnvironment() throws {
        let folder = try TemporaryFolder()
        let result = try Trailscan.run(
            ["scan", samplesFolder.appendingPathComponent("stream").path], environment: ["TRAILSCAN_DB": folder.path("env.db")])
        #expect(result.status == 0)
        #expect(FileManager.default.fileExists(atPath: folder.path("env.db")))
    }

    @Test("text report escapes terminal sequences")
    func textReport() throws {
        let folder = try TemporaryFolder()
        let record = #"{"eventVersion":"1.08","eventTime":"2025-06-11T02:10:00Z","eventSource":"kms.amazonaws.com","eventName":"ScheduleKeyDeletion","awsRegion":"us-east-1","sourceIPAddress":"203.0.113.5","userAgent":"\u001b[2J\u001b[31mevil","eventID":"9b7c1d2e-0000-4000-8000-000000000001","eventType":"AwsApiCall","recipientAccountId":"111122223333","userIdentity":{"type":"IAMUser","arn":"arn:aws:iam::111122223333:user/\u001b]0;pwned\u0007"}}"#
        let input = folder.url.appendingPathComponent("evil.ndjson")
        try (record + "\n").write(to: input, atomically: true, encoding: .utf8)
        let database = folder.path("r.db")
        #expect(try Trailscan.run(["scan", input.path, "--db", database]).status == 0)

        let report = try Trailscan.run(["report", "--db", database])
        #expect(report.status == 0)
        #expect(report.standardOutput.contains("KMSKeyDeletionScheduled"))
        #expect(report.standardOutput.contains("user/\\u{1B}]0;pwned"))
        #expect(!report.standardOutput.utf8.contains(0x1B))
        #expect(!report.standardOutput.utf8.contains(0x07))
    }
}
