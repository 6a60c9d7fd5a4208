/// The `report --format csv` output: a header row, then one row per listed
/// finding, with CRLF line ends and quoting as RFC 4180 describes. Text
/// fields pass through `CSVEscaping`, which neutralises formulas.
struct CSVReport: ReportRenderer {
    static let columns = [
        "rank", "event_time", "severity", "score", "rule", "principal_arn", "principal_type", "action",
        "source_ip", "account_id", "region", "user_agent", "error_code", "reasons", "event_id", "source", "event",
    ]

    func writeSummary(_ summary: ReportSummary, to output: ReportOutput) throws {
        try output.write(Self.columns.joined(separator: ",") + "\r\n")
    }

    func writeFinding(_ finding: ReportedFinding, rank: Int, to output: ReportOutput) throws {
        let reasons = finding.reasons.map { "+\($0.points) \($0.signal.rawValue): \($0.detail)" }.joined(separator: "; ")
        let fields: [String?] = [
            finding.eventTime, finding.severity, nil, finding.rule, finding.principalARN, finding.principalType,
            finding.action, finding.sourceIP, finding.accountID, finding.region, finding.userAgent, finding.errorCode,
            reasons, finding.eventID, finding.source, finding.event,
        ]
        var row = String(rank)
        for (position, field) in fields.enumerated() {
            // The score is a number the report computed, never a formula.
            row += "," + (position == 2 ? String(finding.score) : CSVEscaping.field(field))
        }
        try output.write(row + "\r\n")
    }

    func writeEnd(_ summary: ReportSummary, to output: ReportOutput) throws {}
}
