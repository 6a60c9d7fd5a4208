import Foundation
import Testing

/// The report's filters, checked through the JSON format's exact counts.
@Suite("Report filters")
struct ReportFilterTests {
    /// Six findings over three days, two accounts and two rules, with scores
    /// set by the sample configuration's signals.
    static func database() throws -> ScannedDatabase {
        var lines: [String] = []
        let days = ["2025-06-02T14:00:00Z", "2025-06-03T14:00:00Z", "2025-06-04T14:00:00Z"]
        for (position, time) in days.enumerated() {
            lines.append(try cloudTrailRecord(
                eventID: "kms-\(position)", time: time, source: "kms.amazonaws.com", name: "ScheduleKeyDeletion",
                identity: ["type": "IAMUser", "arn": "arn:aws:iam::111122223333:user/alice", "accountId": "111122223333"],
                userAgent: "aws-cli/2.15.0", sourceIP: "10.20.1.5"))
            lines.append(try cloudTrailRecord(
                eventID: "trail-\(position)", time: time, source: "cloudtrail.amazonaws.com", name: "StopLogging",
                account: "444455556666",
                identity: ["type": "IAMUser", "arn": "arn:aws:iam::444455556666:user/bob", "accountId": "444455556666"],
                userAgent: "aws-cli/2.15.0", sourceIP: "192.0.2.10"))
        }
        return try ScannedDatabase(ndjson: lines, config: samplesFolder.appendingPathComponent("trailscan.json").path)
    }

    private func document(_ database: ScannedDatabase, _ arguments: [String]) throws -> [String: Any] {
        let result = try database.report(["--format", "json"] + arguments)
        #expect(result.status == 0, "stderr: \(result.standardError)")
        return try #require(try JSONSerialization.jsonObject(with: Data(result.standardOutput.utf8)) as? [String: Any])
    }

    @Test(
        "each filter narrows the findings",
        arguments: [
            ([String](), 6),
            (["--since", "2025-06-03"], 4),
            (["--until", "2025-06-03"], 4),
            (["--since", "2025-06-03T00:00:00Z", "--until", "2025-06-03T23:59:59Z"], 2),
            (["--until", "2025-06-03T14:00:00Z"], 4),
            (["--until", "2025-06-03T13:59:59Z"], 2),
            (["--since", "2025-06-03T16:00:00+02:00"], 4),
            (["--account", "444455556666"], 3),
            (["--rule", "KMSKeyDeletionScheduled"], 3),
            (["--rule", "KMSKeyDeletionScheduled", "--since", "2025-06-04"], 1),
            (["--min-severity", "high"], 3),
            (["--since", "1d"], 0),
            (["--since", "100000d"], 6),
        ]
    )
    func filterCounts(arguments: [String], expected: Int) throws {
        let database = try Self.database()
        let report = try document(database, arguments)
        #expect(report["finding_count"] as? Int == expected)
        #expect((report["findings"] as? [Any])?.count == expected)
    }

    @Test("sample scores split by severity")
    func severities() throws {
        let database = try Self.database()
        let bySeverity = try #require(try document(database, [])["by_severity"] as? [String: Int])
        // bob calls from a public address, which adds the ip points; alice
        // calls from 10.20.0.0/16, a trusted network in the sample config.
        #expect(bySeverity.values.reduce(0, +) == 6)
        let high = (bySeverity["high"] ?? 0) + (bySeverity["critical"] ?? 0)
        #expect(high == 3)
    }

    @Test("limit and all set the listed findings")
    func limit() throws {
        let database = try Self.database()
        #expect(try document(database, ["--limit", "2"])["listed_count"] as? Int == 2)
        #expect((try document(database, ["--limit", "2"])["findings"] as? [Any])?.count == 2)
        #expect((try document(database, ["--all"])["findings"] as? [Any])?.count == 6)
        #expect(try document(database, ["--all"])["filters"].flatMap { ($0 as? [String: Any])?["limit"] } is NSNull)
    }

    @Test("report states the filters")
    func statedFilters() throws {
        let database = try Self.database()
        let text = try database.report(["--account", "444455556666", "--since", "2025-06-03"]).standardOutput
        #expect(text.contains("filters     since 2025-06-03T00:00:00Z, account 444455556666\n"))
        let filters = try #require(try document(database, ["--rule", "KMSKeyDeletionScheduled"])["filters"] as? [String: Any])
        #expect(filters["rule"] as? String == "KMSKeyDeletionScheduled")
        #expect(filters["since"] is NSNull)
    }

    @Test(
        "invalid values exit 2",
        arguments: [
            (["--since", "yesterday"], "--since: invalid time \"yesterday\""),
            (["--until", "2025-02-30"], "--until: invalid time \"2025-02-30\""),
            (["--account", "12345"], "--account must be a 12-digit AWS account ID, not \"12345\""),
            (["--min-severity", "severe"], "--min-severity must be low, medium, high or critical, not \"severe\""),
            (["--format", "pdf"], "--format must be text, markdown, html, csv or json, not \"pdf\""),
            (["--limit", "-1"], "--limit must be a whole number of 0 or more, not \"-1\""),
            (["--limit", "5", "--all"], "--limit and --all exclude each other"),
            (["--since", "2025-06-04", "--until", "2025-06-03"], "--since (2025-06-04T00:00:00Z) is later than --until"),
        ]
    )
    func invalidValues(arguments: [String], message: String) throws {
        let database = try Self.database()
        let result = try database.report(arguments)
        #expect(result.status == 2)
        #expect(result.standardError.hasPrefix("trailscan: error: " + message), "stderr: \(result.standardError)")
        #expect(result.standardOutput.isEmpty)
    }
}
