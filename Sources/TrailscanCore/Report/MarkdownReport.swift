/// The `report --format markdown` output: GitHub-flavoured Markdown tables,
/// one section per finding, and the raw event in a fenced code block.
/// Event text passes through `MarkdownEscaping`, so it cannot end a table
/// cell, open a code span or add HTML.
struct MarkdownReport: ReportRenderer {
    func writeSummary(_ summary: ReportSummary, to output: ReportOutput) throws {
        let scanned = summary.scanned
        let filters = summary.filter.descriptions.map { "\($0.name) `\($0.value)`" }
        var text = "# trailscan report\n\nGenerated \(summary.generatedAt).\n\n"
        text += "| | |\n| --- | --- |\n"
        text += "| Filters | \(filters.isEmpty ? "none" : MarkdownEscaping.inline(filters.joined(separator: ", "))) |\n"
        text += "| Period | \(summary.firstEventTime ?? "-") to \(summary.lastEventTime ?? "-") |\n"
        text += "| Findings | \(summary.findingCount) |\n"
        text += "| Scanned (whole database) | \(scanned.records) records in \(scanned.inputs - scanned.skippedInputs) inputs read "
        text += "(\(scanned.failedInputs) failed), \(scanned.skippedInputs) skipped as not logs, \(scanned.runs) runs |\n"
        text += "| Last run finished | \(scanned.lastRunFinished ?? "never") |\n"

        text += "\n## Findings by severity\n\n| Severity | Findings |\n| --- | ---: |\n"
        for severity in Severity.allCases.reversed() {
            text += "| \(severity.rawValue) | \(summary.severityCounts[severity] ?? 0) |\n"
        }
        text += groups("Findings by rule", "Rule", summary.rules)
        text += groups("Findings by account", "Account", summary.accounts)
        text += groups("Findings by region", "Region", summary.regions)

        text += "\n## Top principals by total score\n\nRanked by the sum of their finding scores.\n\n"
        text += "| Principal | Findings | Total score | Max score |\n| --- | ---: | ---: | ---: |\n"
        for principal in summary.principals {
            text += "| \(MarkdownEscaping.inline(principal.principalARN)) | \(principal.findings) | "
            text += "\(principal.totalScore) | \(principal.maximumScore) |\n"
        }

        text += "\n## Findings per day (UTC)\n\n| Date | Critical | High | Medium | Low | Total |\n"
        text += "| --- | ---: | ---: | ---: | ---: | ---: |\n"
        for day in summary.timeline {
            let counts = Severity.allCases.reversed().map { String(day.counts[$0] ?? 0) }
            text += "| \(day.date) | " + counts.joined(separator: " | ") + " | \(day.total) |\n"
        }

        let scope = summary.limit == nil ? "all" : "top \(summary.listedCount) by score"
        text += "\n## Findings (\(scope) of \(summary.findingCount))\n"
        try output.write(text)
    }

    func writeFinding(_ finding: ReportedFinding, rank: Int, to output: ReportOutput) throws {
        var text = "\n### \(rank). \(MarkdownEscaping.inline(finding.rule)), score \(finding.score) "
        text += "(\(MarkdownEscaping.inline(finding.severity)))\n\n| Field | Value |\n| --- | --- |\n"
        let fields: [(String, String?)] = [
            ("Time", finding.eventTime), ("Principal", finding.principalARN), ("Action", finding.action),
            ("Source IP", finding.sourceIP), ("Account", finding.accountID), ("Region", finding.region),
            ("User agent", finding.userAgent), ("Error", finding.errorCode), ("Event ID", finding.eventID),
            ("Input", finding.source),
        ]
        for (name, value) in fields {
            text += "| \(name) | \(MarkdownEscaping.inline(value)) |\n"
        }
        for reason in finding.reasons {
            text += "| Reason | +\(reason.points) \(reason.signal.rawValue): \(MarkdownEscaping.inline(reason.detail)) |\n"
        }
        text += "\nEvidence:\n\n" + MarkdownEscaping.codeBlock(finding.event)
        try output.write(text)
    }

    func writeEnd(_ summary: ReportSummary, to output: ReportOutput) throws {}

    private func groups(_ title: String, _ column: String, _ groups: [GroupCount]) -> String {
        var text = "\n## \(title)\n\n| \(column) | Findings | Max score |\n| --- | ---: | ---: |\n"
        for group in groups {
            text += "| \(MarkdownEscaping.inline(group.key)) | \(group.findings) | \(group.maximumScore) |\n"
        }
        return text
    }
}
