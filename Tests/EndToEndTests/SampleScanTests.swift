import Foundation
import Glibc
import Testing

/// The repository's own samples, scanned with the real binary.
@Suite("Scan of the bundled samples")
struct SampleScanTests {
    /// Findings per default rule in samples/, as computed by the independent
    /// evaluator in scripts/make-samples.py (samples/EXPECTED.md).
    static let expectedFindings: [String: Int] = [
        "AMIMadePublic": 1,
        "AssumeRoleFailed": 3,
        "AssumeRoleFromPublicAddress": 8,
        "CloudTrailLoggingStopped": 2,
        "CloudTrailTrailModified": 1,
        "ConfigRecordingStopped": 1,
        "ConsoleLoginFailure": 6,
        "ConsoleLoginWithoutMFA": 3,
        "DiscoveryCallDenied": 6,
        "EBSSnapshotMadePublic": 1,
        "EC2KeyPairCreated": 1,
        "EC2UserDataModified": 1,
        "GuardDutyDetectorDeleted": 3,
        "GuardDutyDetectorDisabled": 1,
        "GuardDutyMemberDisassociated": 1,
        "IAMAccessKeyCreated": 3,
        "IAMAccessKeyCreatedForUser": 2,
        "IAMAdministratorPolicyAttached": 1,
        "IAMLoginProfileChanged": 1,
        "IAMMFADeviceDeactivated": 1,
        "IAMRoleTrustPolicyAllowsAnyPrincipal": 1,
        "IAMRoleTrustPolicyChanged": 1,
        "IAMSSHPublicKeyUploaded": 1,
        "IAMUserCreated": 2,
        "KMSKeyDeletionScheduled": 2,
        "KMSKeyDisabled": 1,
        "LogGroupDeleted": 1,
        "NetworkACLAllowsAnyAddress": 1,
        "OrganizationsAccountLeft": 1,
        "RDSSnapshotMadePublic": 1,
        "RootActivity": 2,
        "RootConsoleLogin": 3,
        "S3BucketACLMadePublic": 1,
        "S3BucketPolicyChanged": 3,
        "S3BucketPolicyMadePublic": 1,
        "S3PublicAccessBlockRemoved": 1,
        "SecurityGroupEgressOpenToWorld": 1,
        "SecurityGroupOpenToWorld": 2,
        "SecurityHubDisabled": 1,
        "VPCFlowLogsDeleted": 1,
        "WebIdentityRoleAssumptionFailed": 1,
        "WebIdentityRoleFromUnexpectedGitHubSubject": 1,
    ]

    @Test("every default rule fires")
    func everyRuleFires() throws {
        let folder = try TemporaryFolder()
        let database = folder.path("s.db")
        let result = try Trailscan.run(["scan", samplesFolder.path, "--db", database])
        #expect(result.status == 0, "stderr: \(result.standardError)")

        let rows = try Database(database).rows("SELECT rule, count(*) FROM findings GROUP BY rule")
        let counts = Dictionary(uniqueKeysWithValues: rows.map { ($0[0], Int($0[1]) ?? -1) })
        #expect(counts == Self.expectedFindings)
    }

    @Test("inputs, digest and records")
    func inputsTable() throws {
        let folder = try TemporaryFolder()
        let database = folder.path("s.db")
        let result = try Trailscan.run(["scan", samplesFolder.path, "--db", database])
        #expect(result.status == 0)
        #expect(result.standardError.contains("301 records"))

        let db = try Database(database)
        #expect(try db.value("SELECT sum(records) FROM inputs") == "301")
        #expect(try db.value("SELECT count(*) FROM inputs WHERE status = 'failed'") == "0")
        #expect(try db.rows("SELECT status FROM inputs WHERE path LIKE '%CloudTrail-Digest%'") == [["skipped"]])
        #expect(try db.rows("SELECT status, error FROM inputs WHERE path LIKE '%/EXPECTED.md'") == [[
            "skipped",
            "not read: the name does not end in .json, .json.gz, .ndjson, .ndjson.gz, .jsonl, .jsonl.gz; "
                + "name the file on the command line to read it",
        ]])
        #expect(try db.value("PRAGMA user_version") == "7")
        #expect(try db.value("PRAGMA journal_mode") == "wal")

        // The report's count of inputs read agrees with the scan's summary.
        #expect(result.standardError.contains("126 inputs read"), "stderr: \(result.standardError)")
        let report = try Trailscan.run(["report", "--db", database])
        #expect(report.standardOutput.contains("301 records in 126 inputs read (0 failed), 3 skipped as not logs, 1 run"),
                "report: \(report.standardOutput.prefix(600))")
    }

    @Test("database file mode is 0600")
    func databaseMode() throws {
        let folder = try TemporaryFolder()
        let database = folder.path("s.db")
        try Trailscan.run(["scan", samplesFolder.appendingPathComponent("stream").path, "--db", database])
        var info = stat()
        #expect(stat(database, &info) == 0)
        #expect(info.st_mode & 0o777 == 0o600)
    }

    @Test("stored events have session tokens redacted")
    func redaction() throws {
        let folder = try TemporaryFolder()
        let database = folder.path("s.db")
        try Trailscan.run(["scan", samplesFolder.path, "--db", database])
        let db = try Database(database)
        let withToken = try db.rows("SELECT event FROM findings WHERE event LIKE '%sessionToken%'").map { $0[0] }
        #expect(!withToken.isEmpty)
        for event in withToken {
            #expect(event.contains(#""sessionToken":"REDACTED""#))
        }
    }

    @Test("findings carry reasons with points")
    func reasons() throws {
        let folder = try TemporaryFolder()
        let database = folder.path("s.db")
        try Trailscan.run(["scan", samplesFolder.path, "--db", database])
        let db = try Database(database)
        #expect(try db.value("SELECT count(*) FROM findings WHERE reasons = '[]'") == "0")
        let mismatched = try db.rows(
            """
            SELECT f.id FROM findings f
            WHERE f.score != min(100, (SELECT coalesce(sum(json_extract(r.value, '$.points')), 0)
                                       FROM json_each(f.reasons) r))
               OR json_extract(f.reasons, '$[0].signal') != 'rule'
               OR json_extract(f.reasons, '$[0].points') != f.base_score
            """)
        #expect(mismatched.isEmpty)
    }
}
