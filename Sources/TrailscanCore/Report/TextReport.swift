import Foundation

/// The `report --format text` output: what was scanned, findings by
/// severity and rule, and the highest-scored findings, in at most 100 columns.
public struct TextReport {
    let database: SQLiteDatabase
    let limit: Int

    public init(databasePath: String, limit: Int) throws(StoreError) {
        database = try SQLiteDatabase(path: databasePath, readOnly: true)
        self.limit = limit
    }

    public func render() throws -> String {
        var output = "trailscan report\n\n"
        output += try coverage()
        output += try severities()
        output += try byRule()
        output += try topFindings()
        return output
    }

    private func coverage() throws -> String {
        var text = ""
        try database.prepare("SELECT min(event_time), max(event_time), count(*) FROM findings").query { row in
            text += "Period covered:  \(row.text(0) ?? "-") to \(row.text(1) ?? "-")\n"
            text += "Findings:        \(row.integer(2))\n"
        }
        try database.prepare(
            "SELECT count(*), coalesce(sum(records), 0), sum(status = 'failed'), sum(status = 'skipped') FROM inputs"
        ).query { row in
            text += "Inputs:          \(row.integer(0)) (\(row.integer(2)) failed, \(row.integer(3)) skipped)\n"
            text += "Records scanned: \(row.integer(1))\n"
        }
        try database.prepare("SELECT count(*), max(finished_at) FROM runs").query { row in
            text += "Runs:            \(row.integer(0)), last finished \(row.text(1) ?? "never")\n\n"
        }
        return text
    }

    private func severities() throws -> String {
        var counts: [String: Int64] = [:]
        try database.prepare("SELECT severity, count(*) FROM findings GROUP BY severity").query { row in
            counts[row.text(0) ?? ""] = row.integer(1)
        }
        var text = "Findings by severity\n"
        for severity in Severity.allCases.reversed() {
            text += "  " + severity.rawValue.padding(toLength: 10, withPad: " ", startingAt: 0) + "\(counts[severity.rawValue] ?? 0)\n"
        }
        return text + "\n"
    }

    private func byRule() throws -> String {
        var text = "Findings by rule\n"
        try database.prepare(
            "SELECT rule, count(*), max(score) FROM findings GROUP BY rule ORDER BY count(*) DESC, rule"
        ).query { row in
            text += "  " + TextEscaping.cell(row.text(0), width: 44) + String(format: "%6d  max score %3d\n", row.integer(1), row.integer(2))
        }
        return text + "\n"
    }

    private func topFindings() throws -> String {
        var text = "Top findings\n"
        text += "  SCORE SEV       TIME                 RULE                     PRINCIPAL              SOURCE IP\n"
        try database.prepare(
            """
            SELECT score, severity, event_time, rule, principal_arn, source_ip, reasons
            FROM findings ORDER BY score DESC, event_time DESC, event_id, rule LIMIT ?1
            """
        ).query([.integer(Int64(limit))]) { row in
            text += "  " + String(format: "%5d ", row.integer(0))
            text += TextEscaping.cell(row.text(1), width: 9) + " "
            text += TextEscaping.cell(row.text(2), width: 20) + " "
            text += TextEscaping.cell(row.text(3), width: 24) + " "
            text += TextEscaping.cell(row.text(4).map(Self.shortARN), width: 22) + " "
            text += TextEscaping.cell(row.text(5), width: 15) + "\n"
            for reason in Reason.decode(row.text(6) ?? "[]") {
                let prefix = "        +\(reason.points) \(reason.signal.rawValue): "
                let detail = TextEscaping.cell(reason.detail, width: 100 - prefix.count)
                text += prefix + detail.trimmingCharacters(in: .whitespaces) + "\n"
            }
        }
        return text
    }

    /// The part of an ARN after the account, which names the principal.
    static func shortARN(_ arn: String) -> String {
        let parts = arn.split(separator: ":", maxSplits: 5, omittingEmptySubsequences: false)
        return parts.count == 6 ? String(parts[5]) : arn
    }
}
