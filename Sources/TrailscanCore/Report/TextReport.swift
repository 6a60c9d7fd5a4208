/// The `report --format text` output, at most 100 columns wide. Event text
/// passes through `TextEscaping`, so it cannot send terminal escapes; the
/// only escapes written are the severity colours, and only when `isColored`.
struct TextReport: ReportRenderer {
    static let width = 100
    var isColored: Bool

    func writeSummary(_ summary: ReportSummary, to output: ReportOutput) throws {
        try output.write(header(summary))
        try output.write(severities(summary))
        try output.write(groups("Findings by rule", "RULE", summary.rules))
        try output.write(groups("Findings by account", "ACCOUNT", summary.accounts))
        try output.write(groups("Findings by region", "REGION", summary.regions))
        try output.write(principals(summary))
        try output.write(timeline(summary))
        try output.write(findingsHeading(summary))
    }

    func writeFinding(_ finding: ReportedFinding, rank: Int, to output: ReportOutput) throws {
        var text = "\n" + pad("#\(rank)", 5) + " score " + pad(String(finding.score), 3) + "  "
        text += colored(pad(finding.severity, 8), finding.severity) + "  "
        text += TextEscaping.cell(finding.eventTime, width: 20) + "  "
        text += TextEscaping.cell(finding.rule, width: Self.width - 45).trimmingTrailingSpaces() + "\n"
        text += field("principal", finding.principalARN)
        text += field("action", finding.action)
        text += field("source IP", finding.sourceIP)
        text += field("account", (finding.accountID ?? "-") + " in " + (finding.region ?? "-"))
        text += field("user agent", finding.userAgent)
        if let errorCode = finding.errorCode { text += field("error", errorCode) }
        text += field("event ID", finding.eventID)
        for (position, reason) in finding.reasons.enumerated() {
            text += field(position == 0 ? "reasons" : "", "+\(reason.points) \(reason.signal.rawValue): \(reason.detail)")
        }
        if finding.reasons.isEmpty { text += field("reasons", "none (base score of the rule)") }
        text += field("evidence", finding.event, isExact: true)
        try output.write(text)
    }

    func writeEnd(_ summary: ReportSummary, to output: ReportOutput) throws {}

    // MARK: - Sections

    private func header(_ summary: ReportSummary) -> String {
        let filters = summary.filter.descriptions.map { "\($0.name) \($0.value)" }
        let scanned = summary.scanned
        var text = "trailscan report, generated \(summary.generatedAt)\n"
        text += field("filters", filters.isEmpty ? "none" : filters.joined(separator: ", "), indent: 0)
        text += field("period", (summary.firstEventTime ?? "-") + " to " + (summary.lastEventTime ?? "-"), indent: 0)
        text += field("findings", String(summary.findingCount), indent: 0)
        text += field("scanned", "\(scanned.records) records in \(scanned.inputs - scanned.skippedInputs) inputs read "
            + "(\(scanned.failedInputs) failed), \(scanned.skippedInputs) skipped as not logs, "
            + "\(scanned.runs) \(scanned.runs == 1 ? "run" : "runs"), whole database", indent: 0)
        text += field("last run", scanned.lastRunFinished ?? "never finished", indent: 0)
        return text
    }

    private func severities(_ summary: ReportSummary) -> String {
        let largest = summary.severityCounts.values.max() ?? 0
        var text = "\nFindings by severity\n"
        for severity in Severity.allCases.reversed() {
            let count = summary.severityCounts[severity] ?? 0
            text += "  " + colored(pad(severity.rawValue, 10), severity.rawValue) + pad(String(count), 9, right: true)
            text += "  " + bar(count, of: largest, width: 60) + "\n"
        }
        return text
    }

    private func groups(_ title: String, _ column: String, _ groups: [GroupCount]) -> String {
        var text = "\n\(title)\n  " + pad(column, 70) + pad("FINDINGS", 10, right: true) + pad("MAX SCORE", 12, right: true) + "\n"
        for group in groups {
            text += "  " + TextEscaping.cell(group.key, width: 70) + pad(String(group.findings), 10, right: true)
            text += pad(String(group.maximumScore), 12, right: true) + "\n"
        }
        if groups.isEmpty { text += "  none\n" }
        return text
    }

    private func principals(_ summary: ReportSummary) -> String {
        var text = "\nTop principals by total score (the sum of their finding scores)\n  " + pad("PRINCIPAL", 60)
        text += pad("FINDINGS", 10, right: true) + pad("TOTAL", 12, right: true) + pad("MAX", 8, right: true) + "\n"
        for principal in summary.principals {
            text += "  " + TextEscaping.cell(principal.principalARN, width: 60) + pad(String(principal.findings), 10, right: true)
            text += pad(String(principal.totalScore), 12, right: true) + pad(String(principal.maximumScore), 8, right: true) + "\n"
        }
        if summary.principals.isEmpty { text += "  none\n" }
        return text
    }

    private func timeline(_ summary: ReportSummary) -> String {
        let largest = summary.timeline.map(\.total).max() ?? 0
        var text = "\nFindings per day (UTC)\n  DATE        CRITICAL   HIGH  MEDIUM    LOW  TOTAL\n"
        for day in summary.timeline {
            text += "  " + day.date + pad(String(day.counts[.critical] ?? 0), 10, right: true)
            for severity in [Severity.high, .medium, .low] {
                text += pad(String(day.counts[severity] ?? 0), 7, right: true)
            }
            text += pad(String(day.total), 7, right: true) + "  " + bar(day.total, of: largest, width: 39) + "\n"
        }
        if summary.timeline.isEmpty { text += "  none\n" }
        return text
    }

    private func findingsHeading(_ summary: ReportSummary) -> String {
        let scope = summary.limit == nil ? "all" : "top \(summary.listedCount) by score"
        return "\nFindings (\(scope) of \(summary.findingCount))\n"
    }

    // MARK: - Layout

    /// A labelled line, wrapped to the report width under its value column.
    /// Text is wrapped between words, and the raw event (`isExact`) at the
    /// width, so that its lines join back into the stored text.
    private func field(_ label: String, _ value: String?, indent: Int = 6, isExact: Bool = false) -> String {
        let valueColumn = indent + 12
        let lines = TextEscaping.wrap(value ?? "-", width: Self.width - valueColumn, breakingAtSpaces: !isExact)
        var text = String(repeating: " ", count: indent) + pad(label, 12) + lines[0] + "\n"
        for line in lines.dropFirst() {
            text += String(repeating: " ", count: valueColumn) + line + "\n"
        }
        return text
    }

    /// Pads text that the report itself wrote (numbers, fixed words).
    private func pad(_ text: String, _ width: Int, right: Bool = false) -> String {
        let spaces = String(repeating: " ", count: max(0, width - text.count))
        return right ? spaces + text : text + spaces
    }

    private func bar(_ count: Int, of largest: Int, width: Int) -> String {
        guard largest > 0, count > 0 else { return "" }
        return String(repeating: "#", count: max(1, count * width / largest))
    }

    /// `text` in the colour of `severity` when colour is on. `severity`
    /// comes from the database, so an unknown value gets no colour.
    private func colored(_ text: String, _ severity: String) -> String {
        guard isColored, let severity = Severity(rawValue: severity) else { return TextEscaping.visible(text) }
        let code = switch severity {
        case .critical: "1;31"
        case .high: "31"
        case .medium: "33"
        case .low: "36"
        }
        return "\u{1B}[\(code)m" + text + "\u{1B}[0m"
    }
}

extension String {
    func trimmingTrailingSpaces() -> String {
        var text = self
        while text.last == " " { text.removeLast() }
        return text
    }
}
