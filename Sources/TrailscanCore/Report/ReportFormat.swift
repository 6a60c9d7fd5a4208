/// The output formats of `trailscan report`.
public enum ReportFormat: String, Sendable, CaseIterable {
    case text, markdown, html, csv, json
}

/// One output format. A report is written in three calls, so the findings
/// listed in detail stream from the database without being collected.
protocol ReportRenderer {
    mutating func writeSummary(_ summary: ReportSummary, to output: ReportOutput) throws
    mutating func writeFinding(_ finding: ReportedFinding, rank: Int, to output: ReportOutput) throws
    mutating func writeEnd(_ summary: ReportSummary, to output: ReportOutput) throws
}

/// Builds a report from a findings database.
public enum Report {
    /// Writes a report of the findings in `databasePath` that `filter`
    /// keeps, listing at most `limit` findings in detail (all when nil).
    /// `isColored` adds ANSI colours to the text format only.
    public static func write(
        databasePath: String, format: ReportFormat, filter: ReportFilter, limit: Int?, now: Int64,
        isColored: Bool = false, to output: ReportOutput
    ) throws {
        let query = try ReportQuery(databasePath: databasePath, filter: filter)
        let summary = try query.summary(limit: limit, now: now)
        var renderer: any ReportRenderer
        switch format {
        case .text: renderer = TextReport(isColored: isColored)
        case .markdown: renderer = MarkdownReport()
        case .html: renderer = HTMLReport()
        case .csv: renderer = CSVReport()
        case .json: renderer = JSONReport()
        }

        try renderer.writeSummary(summary, to: output)
        var rank = 0
        try query.forEachFinding(limit: limit) { finding in
            rank += 1
            try renderer.writeFinding(finding, rank: rank, to: output)
        }
        try renderer.writeEnd(summary, to: output)
        try output.flush()
    }
}
