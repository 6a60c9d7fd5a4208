import Foundation

/// Reads a report's data from a findings database, opened read-only. Each
/// aggregate is one `GROUP BY` query; findings listed in detail are
/// streamed one row at a time, so memory does not grow with the database.
public final class ReportQuery {
    let database: SQLiteDatabase
    let filter: ReportFilter
    private let condition: (sql: String, values: [SQLiteValue])

    /// The number of principals in `ReportSummary.principals`.
    public static let principalCount = 10

    public init(databasePath: String, filter: ReportFilter) throws(StoreError) {
        database = try SQLiteDatabase(path: databasePath, readOnly: true)
        self.filter = filter
        condition = filter.sqlCondition
    }

    /// Runs the aggregate queries.
    public func summary(limit: Int?, now: Int64) throws -> ReportSummary {
        var summary = ReportSummary(
            generatedAt: EventTime.format(now), filter: filter, limit: limit, scanned: try scanTotals(),
            findingCount: 0, severityCounts: [:], rules: [], accounts: [], regions: [], principals: [], timeline: [])
        try query("SELECT min(event_time), max(event_time), count(*) FROM findings WHERE \(condition.sql)") { row in
            summary.firstEventTime = row.text(0)
            summary.lastEventTime = row.text(1)
            summary.findingCount = Int(row.integer(2))
        }
        try query("SELECT severity, count(*) FROM findings WHERE \(condition.sql) GROUP BY severity") { row in
            if let severity = row.text(0).flatMap(Severity.init(rawValue:)) {
                summary.severityCounts[severity] = Int(row.integer(1))
            }
        }
        summary.rules = try groupCounts(column: "rule")
        summary.accounts = try groupCounts(column: "account_id")
        summary.regions = try groupCounts(column: "region")
        summary.principals = try principals()
        summary.timeline = try timeline()
        return summary
    }

    /// Calls `body` with each finding in report order (highest score first,
    /// then newest), at most `limit` of them when `limit` is set.
    public func forEachFinding(limit: Int?, _ body: (ReportedFinding) throws -> Void) throws {
        var sql = """
            SELECT id, event_id, rule, score, severity, event_time, account_id, region, event_source, event_name,
                principal_arn, principal_type, source_ip, user_agent, error_code, reasons, source, event
            FROM findings WHERE \(condition.sql) ORDER BY score DESC, event_time DESC, id
            """
        var values = condition.values
        if let limit {
            values.append(.integer(Int64(limit)))
            sql += " LIMIT ?\(values.count)"
        }
        try database.prepare(sql).query(values) { row in
            try body(ReportedFinding(
                id: row.integer(0), eventID: row.text(1) ?? "", rule: row.text(2) ?? "", score: Int(row.integer(3)),
                severity: row.text(4) ?? "", eventTime: row.text(5) ?? "", accountID: row.text(6),
                region: row.text(7), eventSource: row.text(8), eventName: row.text(9), principalARN: row.text(10),
                principalType: row.text(11), sourceIP: row.text(12), userAgent: row.text(13),
                errorCode: row.text(14), reasons: Reason.decode(row.text(15) ?? "[]"), source: row.text(16) ?? "",
                event: row.text(17) ?? ""))
        }
    }

    private func query(_ sql: String, row: (SQLiteRow) throws -> Void) throws {
        try database.prepare(sql).query(condition.values, row: row)
    }

    private func scanTotals() throws -> ScanTotals {
        var totals = ScanTotals()
        try database.prepare("SELECT count(*), min(started_at), max(finished_at) FROM runs").query { row in
            totals.runs = Int(row.integer(0))
            totals.firstRunStarted = row.text(1)
            totals.lastRunFinished = row.text(2)
        }
        try database.prepare(
            """
            SELECT count(*), coalesce(sum(records), 0), coalesce(sum(status = 'failed'), 0),
                coalesce(sum(status = 'skipped'), 0)
            FROM inputs
            """
        ).query { row in
            totals.inputs = Int(row.integer(0))
            totals.records = Int(row.integer(1))
            totals.failedInputs = Int(row.integer(2))
            totals.skippedInputs = Int(row.integer(3))
        }
        return totals
    }

    /// Findings per value of `column`, most findings first. `column` is one
    /// of the fixed names above, never user input.
    private func groupCounts(column: String) throws -> [GroupCount] {
        var groups: [GroupCount] = []
        try query(
            """
            SELECT \(column), count(*), max(score) FROM findings WHERE \(condition.sql)
            GROUP BY \(column) ORDER BY count(*) DESC, \(column)
            """
        ) { row in
            groups.append(GroupCount(key: row.text(0), findings: Int(row.integer(1)), maximumScore: Int(row.integer(2))))
        }
        return groups
    }

    private func principals() throws -> [PrincipalRisk] {
        var principals: [PrincipalRisk] = []
        try query(
            """
            SELECT principal_arn, count(*), sum(score), max(score) FROM findings
            WHERE \(condition.sql) AND principal_arn IS NOT NULL
            GROUP BY principal_arn ORDER BY sum(score) DESC, principal_arn LIMIT \(Self.principalCount)
            """
        ) { row in
            principals.append(PrincipalRisk(
                principalARN: row.text(0) ?? "", findings: Int(row.integer(1)), totalScore: Int(row.integer(2)),
                maximumScore: Int(row.integer(3))))
        }
        return principals
    }

    private func timeline() throws -> [DayCount] {
        var days: [DayCount] = []
        try query(
            """
            SELECT substr(event_time, 1, 10) AS day, severity, count(*) FROM findings WHERE \(condition.sql)
            GROUP BY day, severity ORDER BY day
            """
        ) { row in
            let date = row.text(0) ?? ""
            if days.last?.date != date { days.append(DayCount(date: date, counts: [:])) }
            if let severity = row.text(1).flatMap(Severity.init(rawValue:)) {
                days[days.count - 1].counts[severity] = Int(row.integer(2))
            }
        }
        return days
    }
}
