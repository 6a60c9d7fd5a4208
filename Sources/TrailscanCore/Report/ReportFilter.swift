/// Which findings a report covers. Every condition left nil applies no
/// restriction; the scan totals (inputs, records, runs) always cover the
/// whole database, because inputs have no event time, account or rule.
public struct ReportFilter: Sendable, Equatable {
    /// Earliest event time included, in seconds since 1970 UTC.
    public var since: Int64?
    /// Latest event time included, in seconds since 1970 UTC.
    public var until: Int64?
    public var account: String?
    public var rule: String?
    public var minimumSeverity: Severity?

    public init(since: Int64? = nil, until: Int64? = nil, account: String? = nil, rule: String? = nil,
                minimumSeverity: Severity? = nil) {
        self.since = since
        self.until = until
        self.account = account
        self.rule = rule
        self.minimumSeverity = minimumSeverity
    }

    /// The conditions in force, as `(name, value)` pairs for the report header.
    public var descriptions: [(name: String, value: String)] {
        var parts: [(String, String)] = []
        if let since { parts.append(("since", EventTime.format(since))) }
        if let until { parts.append(("until", EventTime.format(until))) }
        if let account { parts.append(("account", account)) }
        if let rule { parts.append(("rule", rule)) }
        if let minimumSeverity { parts.append(("min-severity", minimumSeverity.rawValue)) }
        return parts
    }

    /// A SQL condition over the `findings` table and its bound values, with
    /// only the conditions in force, so that SQLite can use an index on them.
    var sqlCondition: (sql: String, values: [SQLiteValue]) {
        var conditions: [String] = []
        var values: [SQLiteValue] = []
        func add(_ condition: String, _ value: SQLiteValue) {
            values.append(value)
            conditions.append(condition.replacingOccurrences(of: "?", with: "?\(values.count)"))
        }
        if let since { add("event_epoch >= ?", .integer(since)) }
        if let until { add("event_epoch <= ?", .integer(until)) }
        if let account { add("account_id = ?", .text(account)) }
        if let rule { add("rule = ?", .text(rule)) }
        if let minimumSeverity { add("score >= ?", .integer(Int64(minimumSeverity.minimumScore))) }
        return (conditions.isEmpty ? "1" : conditions.joined(separator: " AND "), values)
    }
}

extension Severity {
    /// The lowest score of this severity band.
    public var minimumScore: Int {
        switch self {
        case .critical: 90
        case .high: 70
        case .medium: 40
        case .low: 0
        }
    }
}

/// An invalid `--since` or `--until` value.
public struct ReportTimeError: Error, Sendable, CustomStringConvertible {
    public var value: String
    public var description: String {
        "invalid time \"\(value)\"; use a date (2025-06-01), a UTC time (2025-06-01T12:00:00Z) or an age such as 7d, 24h or 30m"
    }
}

/// Parsing of the `--since` and `--until` values.
public enum ReportTime {
    /// Which end of a period a value bounds. A bare date covers the whole
    /// day, so it means 00:00:00 as a start and 23:59:59 as an end.
    public enum Bound: Sendable {
        case start, end
    }

    /// Parses a date (`2025-06-01`), a date and time with an optional
    /// fraction and a `Z` or `±HH:MM` offset (`2025-06-01T12:00:00Z`), or an
    /// age before `now` in days, hours or minutes (`7d`, `24h`, `30m`), into
    /// seconds since 1970 UTC.
    public static func parse(_ text: String, bound: Bound, now: Int64) throws(ReportTimeError) -> Int64 {
        if let age = parseAge(text) { return now - age }
        if let date = parseDate(text) { return bound == .start ? date : date + 86_399 }
        if let time = parseTimestamp(text) { return time }
        throw ReportTimeError(value: text)
    }

    /// Seconds in `7d`, `24h` or `30m`.
    private static func parseAge(_ text: String) -> Int64? {
        guard let unit = text.last, let count = Int64(text.dropLast()), count >= 0,
              text.dropLast().allSatisfy(\.isASCII)
        else { return nil }
        let seconds: Int64
        switch unit {
        case "d": seconds = 86_400
        case "h": seconds = 3_600
        case "m": seconds = 60
        default: return nil
        }
        let (product, overflow) = count.multipliedReportingOverflow(by: seconds)
        return overflow ? nil : product
    }

    /// Midnight UTC of a `YYYY-MM-DD` date, rejecting days the month lacks.
    private static func parseDate(_ text: String) -> Int64? {
        guard text.utf8.count == 10 else { return nil }
        return parseTimestamp(text + "T00:00:00Z")
    }

    private static func parseTimestamp(_ text: String) -> Int64? {
        var body = Substring(text)
        var offset: Int64 = 0
        if let sign = text.utf8.count > 19 ? offsetSign(body) : nil {
            let suffix = body.suffix(6)
            let parts = suffix.dropFirst().split(separator: ":")
            guard parts.count == 2, let hours = Int64(parts[0]), let minutes = Int64(parts[1]),
                  parts[0].count == 2, parts[1].count == 2, hours < 24, minutes < 60
            else { return nil }
            offset = sign * (hours * 3_600 + minutes * 60)
            body = body.dropLast(6)
        }
        let bytes = Array(body.utf8)
        guard let epoch = bytes.withUnsafeBufferPointer({ EventTime.parse($0) }) else { return nil }

        // EventTime.parse accepts day 31 in every month; a date that does not
        // survive formatting back (2025-02-30) does not exist.
        guard EventTime.format(epoch).prefix(10) == body.prefix(10) else { return nil }
        return epoch - offset
    }

    /// `+1` or `-1` when `text` ends in a `±HH:MM` offset.
    private static func offsetSign(_ text: Substring) -> Int64? {
        let marker = text.dropLast(5).last
        if marker == "+" { return 1 }
        if marker == "-" { return -1 }
        return nil
    }
}
