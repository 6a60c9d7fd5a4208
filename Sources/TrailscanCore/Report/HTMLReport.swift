import EventPatterns

/// The `report --format html` output: one self-contained page with inline
/// CSS and inline SVG charts. It has no script, loads nothing, and its
/// Content-Security-Policy forbids scripts and remote loads even if a
/// browser were to find one. Event text passes through `HTMLEscaping`.
struct HTMLReport: ReportRenderer {
    func writeSummary(_ summary: ReportSummary, to output: ReportOutput) throws {
        var html = Self.head
        html += header(summary)
        html += cards(summary)
        html += "<div class=\"grid\">\n"
        html += panel("Findings by severity", HTMLCharts.severityBars(summary.severityCounts))
        html += panel("Top rules", HTMLCharts.ruleBars(summary.rules))
        html += "</div>\n"
        html += panel("Findings per day (UTC)", HTMLCharts.timeline(summary.timeline))
        html += "<div class=\"grid\">\n"
        html += panel("Findings by account", groupTable("Account", summary.accounts))
        html += panel("Findings by region", groupTable("Region", summary.regions))
        html += "</div>\n"
        html += panel("Top principals by total score", principalTable(summary.principals))
        html += panel("Findings by rule", groupTable("Rule", summary.rules))

        let scope = summary.limit == nil ? "All \(summary.findingCount)" : "Top \(summary.listedCount) of \(summary.findingCount), by score"
        html += "<h2 class=\"findings-title\">Findings <span class=\"muted\">(\(scope))</span></h2>\n"
        try output.write(html)
    }

    func writeFinding(_ finding: ReportedFinding, rank: Int, to output: ReportOutput) throws {
        let severity = Severity(rawValue: finding.severity)?.rawValue ?? "unknown"
        var html = "<article class=\"finding\">\n<header><span class=\"rank\">#\(rank)</span>"
        html += "<span class=\"badge \(severity)\">\(severity) \(finding.score)</span>"
        html += "<h3>\(HTMLEscaping.escape(finding.rule))</h3>"
        html += "<time>\(HTMLEscaping.escape(finding.eventTime))</time></header>\n<dl>\n"
        let fields: [(String, String?)] = [
            ("Principal", finding.principalARN), ("Action", finding.action), ("Source IP", finding.sourceIP),
            ("Account", finding.accountID), ("Region", finding.region), ("User agent", finding.userAgent),
            ("Error", finding.errorCode), ("Event ID", finding.eventID), ("Input", finding.source),
        ]
        for (name, value) in fields where value != nil || name != "Error" {
            html += "<dt>\(name)</dt><dd>\(HTMLEscaping.escape(value))</dd>\n"
        }
        html += "</dl>\n<ul class=\"reasons\">\n"
        for reason in finding.reasons {
            html += "<li><b>+\(reason.points) \(reason.signal.rawValue)</b> \(HTMLEscaping.escape(reason.detail))</li>\n"
        }
        if finding.reasons.isEmpty { html += "<li>No signal fired; the score is the rule's base score.</li>\n" }
        html += "</ul>\n<pre class=\"evidence\">\(HTMLEscaping.escape(Self.evidence(finding.event)))</pre>\n</article>\n"
        try output.write(html)
    }

    func writeEnd(_ summary: ReportSummary, to output: ReportOutput) throws {
        var html = ""
        if summary.listedCount == 0 { html += "<p class=\"muted\">No findings match.</p>\n" }
        html += "<footer>trailscan \(HTMLEscaping.escape(trailscanVersion)), generated \(summary.generatedAt)</footer>\n"
        html += "</main>\n</body>\n</html>\n"
        try output.write(html)
    }

    // MARK: - Sections

    private func header(_ summary: ReportSummary) -> String {
        let filters = summary.filter.descriptions.map { "\($0.name) <code>\(HTMLEscaping.escape($0.value))</code>" }
        var html = "<header class=\"top\"><h1>trailscan report</h1>\n<p class=\"muted\">"
        html += "Findings from \(HTMLEscaping.escape(summary.firstEventTime)) to \(HTMLEscaping.escape(summary.lastEventTime))"
        html += " · generated \(summary.generatedAt)</p>\n<p>Filters: "
        html += filters.isEmpty ? "none" : filters.joined(separator: ", ")
        return html + "</p></header>\n"
    }

    private func cards(_ summary: ReportSummary) -> String {
        let scanned = summary.scanned
        let urgent = (summary.severityCounts[.critical] ?? 0) + (summary.severityCounts[.high] ?? 0)
        let cards: [(String, String, String)] = [
            ("Findings", String(summary.findingCount), "after filters"),
            ("Critical and high", String(urgent), "score 70 or more"),
            ("Records scanned", String(scanned.records), "whole database"),
            ("Inputs read", String(scanned.inputs - scanned.skippedInputs),
             "\(scanned.failedInputs) failed, \(scanned.skippedInputs) skipped as not logs, \(scanned.runs) \(scanned.runs == 1 ? "run" : "runs")"),
        ]
        var html = "<div class=\"cards\">\n"
        for (title, value, note) in cards {
            html += "<div class=\"card\"><div class=\"muted\">\(title)</div><div class=\"figure\">\(value)</div>"
            html += "<div class=\"muted small\">\(note)</div></div>\n"
        }
        return html + "</div>\n"
    }

    private func panel(_ title: String, _ body: String) -> String {
        "<section class=\"panel\"><h2>\(title)</h2>\n\(body)</section>\n"
    }

    private func groupTable(_ column: String, _ groups: [GroupCount]) -> String {
        var html = "<table><thead><tr><th>\(column)</th><th class=\"num\">Findings</th><th class=\"num\">Max score</th></tr></thead><tbody>\n"
        for group in groups {
            html += "<tr><td>\(HTMLEscaping.escape(group.key))</td><td class=\"num\">\(group.findings)</td>"
            html += "<td class=\"num\">\(group.maximumScore)</td></tr>\n"
        }
        return html + "</tbody></table>\n"
    }

    private func principalTable(_ principals: [PrincipalRisk]) -> String {
        var html = "<p class=\"muted small\">Ranked by the sum of the scores of each principal's findings.</p>\n"
        html += "<table><thead><tr><th>Principal</th><th class=\"num\">Findings</th><th class=\"num\">Total score</th>"
        html += "<th class=\"num\">Max score</th></tr></thead><tbody>\n"
        for principal in principals {
            html += "<tr><td>\(HTMLEscaping.escape(principal.principalARN))</td><td class=\"num\">\(principal.findings)</td>"
            html += "<td class=\"num\">\(principal.totalScore)</td><td class=\"num\">\(principal.maximumScore)</td></tr>\n"
        }
        return html + "</tbody></table>\n"
    }

    /// The event indented for reading; the stored text when it is not JSON.
    static func evidence(_ event: String) -> String {
        guard let value = try? JSONValue(parsing: event) else { return event }
        var text = ""
        indent(value, depth: 0, into: &text)
        return text
    }

    private static func indent(_ value: JSONValue, depth: Int, into text: inout String) {
        let inner = String(repeating: "  ", count: depth + 1)
        switch value {
        case .array(let elements) where !elements.isEmpty:
            text += "[\n"
            for (position, element) in elements.enumerated() {
                text += inner
                indent(element, depth: depth + 1, into: &text)
                text += position == elements.count - 1 ? "\n" : ",\n"
            }
            text += String(repeating: "  ", count: depth) + "]"
        case .object(let members) where !members.isEmpty:
            text += "{\n"
            for (position, member) in members.enumerated() {
                text += inner
                JSONValue.writeQuoted(member.key, to: &text)
                text += ": "
                indent(member.value, depth: depth + 1, into: &text)
                text += position == members.count - 1 ? "\n" : ",\n"
            }
            text += String(repeating: "  ", count: depth) + "}"
        default:
            text += value.serialized
        }
    }
}
