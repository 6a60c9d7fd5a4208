/// The inline SVG charts of the HTML report. Sizes are in SVG user units;
/// each chart scales to its panel's width through its `viewBox`.
enum HTMLCharts {
    static let colors: [Severity: String] = [
        .critical: "#c92a2a", .high: "#e8590c", .medium: "#e6a700", .low: "#3b82c4",
    ]

    /// One horizontal bar per severity, critical first.
    static func severityBars(_ counts: [Severity: Int]) -> String {
        let rows = Severity.allCases.reversed().map { (label: $0.rawValue, count: counts[$0] ?? 0, color: colors[$0]!) }
        return horizontalBars(rows, labelWidth: 80, rowHeight: 46, barHeight: 28)
    }

    /// The ten rules with the most findings.
    static func ruleBars(_ rules: [GroupCount]) -> String {
        let rows = rules.prefix(10).map { (label: $0.key ?? "-", count: $0.findings, color: "#5b6bd5") }
        guard !rows.isEmpty else { return "<p class=\"muted\">No findings.</p>\n" }
        return horizontalBars(Array(rows), labelWidth: 230, rowHeight: 26, barHeight: 18)
    }

    private static func horizontalBars(
        _ rows: [(label: String, count: Int, color: String)], labelWidth: Int, rowHeight: Int, barHeight: Int
    ) -> String {
        let width = 520
        let barSpace = width - labelWidth - 60
        let largest = max(1, rows.map(\.count).max() ?? 1)
        var svg = "<svg viewBox=\"0 0 \(width) \(rows.count * rowHeight + 4)\" role=\"img\">\n"
        for (position, row) in rows.enumerated() {
            let y = position * rowHeight + 4
            let length = row.count == 0 ? 0 : max(2, row.count * barSpace / largest)
            let label = HTMLEscaping.escape(shortened(row.label, to: labelWidth / 7))
            let textY = y + barHeight / 2 + 4
            svg += "<text x=\"0\" y=\"\(textY)\">\(label)<title>\(HTMLEscaping.escape(row.label))</title></text>"
            svg += "<rect x=\"\(labelWidth)\" y=\"\(y)\" width=\"\(length)\" height=\"\(barHeight)\" rx=\"3\" fill=\"\(row.color)\"/>"
            svg += "<text x=\"\(labelWidth + length + 6)\" y=\"\(textY)\">\(row.count)</text>\n"
        }
        return svg + "</svg>\n"
    }

    /// Stacked bars of findings per day by severity, with the largest day
    /// on the vertical axis and up to eight dates on the horizontal one.
    static func timeline(_ days: [DayCount]) -> String {
        guard !days.isEmpty else { return "<p class=\"muted\">No findings.</p>\n" }
        let width = 1100.0, height = 230.0, left = 44.0, bottom = 200.0, top = 12.0
        let plotWidth = width - left - 8
        // An even axis maximum keeps the middle grid line on a whole number.
        let busiest = days.map(\.total).max() ?? 1
        let largest = Double(busiest <= 1 ? 1 : busiest + busiest % 2)
        let slot = plotWidth / Double(days.count)
        let barWidth = max(1, slot * 0.72)

        var svg = "<svg viewBox=\"0 0 \(Int(width)) \(Int(height))\" role=\"img\">\n"
        for fraction in [0.0, 0.5, 1.0] {
            let y = bottom - fraction * (bottom - top)
            svg += "<line x1=\"\(left)\" x2=\"\(width - 8)\" y1=\"\(format(y))\" y2=\"\(format(y))\" stroke=\"#dde1e8\"/>"
            svg += "<text class=\"axis\" x=\"\(left - 6)\" y=\"\(format(y + 4))\" text-anchor=\"end\">\(Int((largest * fraction).rounded()))</text>\n"
        }
        for (position, day) in days.enumerated() {
            let x = left + Double(position) * slot + (slot - barWidth) / 2
            var y = bottom
            for severity in Severity.allCases {
                guard let count = day.counts[severity], count > 0 else { continue }
                let barHeight = Double(count) / largest * (bottom - top)
                y -= barHeight
                svg += "<rect x=\"\(format(x))\" y=\"\(format(y))\" width=\"\(format(barWidth))\" height=\"\(format(barHeight))\" "
                svg += "fill=\"\(colors[severity]!)\"><title>\(day.date): \(count) \(severity.rawValue)</title></rect>"
            }
            svg += "\n"
        }
        let step = max(1, Int((Double(days.count) / 8).rounded(.up)))
        for position in stride(from: 0, to: days.count, by: step) {
            let x = left + (Double(position) + 0.5) * slot
            svg += "<text class=\"axis\" x=\"\(format(x))\" y=\"\(Int(bottom) + 18)\" text-anchor=\"middle\">"
            svg += "\(HTMLEscaping.escape(days[position].date))</text>\n"
        }
        svg += "</svg>\n<div class=\"legend\">"
        for severity in Severity.allCases.reversed() {
            svg += "<span><i class=\"\(severity.rawValue)\"></i>\(severity.rawValue)</span>"
        }
        return svg + "</div>\n"
    }

    private static func shortened(_ text: String, to length: Int) -> String {
        text.count <= length ? text : String(text.prefix(length - 1)) + "…"
    }

    private static func format(_ value: Double) -> String {
        String(Double(Int((value * 10).rounded())) / 10)
    }
}
