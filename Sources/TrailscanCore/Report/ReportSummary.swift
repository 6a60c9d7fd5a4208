/// The aggregate part of a report, computed by SQL `GROUP BY` queries so
/// that its size depends on the number of rules, accounts, regions and
/// days, not on the number of findings.
public struct ReportSummary: Sendable {
    /// When the report was made, `YYYY-MM-DDTHH:MM:SSZ`.
    public var generatedAt: String
    public var filter: ReportFilter
    /// How many findings are listed in detail; nil lists every one.
    public var limit: Int?

    /// Event times of the earliest and latest finding that the filter keeps.
    public var firstEventTime: String?
    public var lastEventTime: String?
    public var scanned: ScanTotals
    public var findingCount: Int
    public var severityCounts: [Severity: Int]
    public var rules: [GroupCount]
    public var accounts: [GroupCount]
    public var regions: [GroupCount]
    /// The principals with the highest sum of finding scores.
    public var principals: [PrincipalRisk]
    /// One entry per day that has findings, oldest first.
    public var timeline: [DayCount]

    /// Findings listed in detail: `findingCount` capped by `limit`.
    public var listedCount: Int { limit.map { min($0, findingCount) } ?? findingCount }
}

/// What the scans read, over the whole database.
public struct ScanTotals: Sendable {
    public var runs = 0
    public var firstRunStarted: String?
    public var lastRunFinished: String?
    public var inputs = 0
    public var failedInputs = 0
    public var skippedInputs = 0
    public var records = 0
}

/// The findings of one rule, account or region.
public struct GroupCount: Sendable {
    /// The rule name, account ID or region; nil when the field was absent.
    public var key: String?
    public var findings: Int
    public var maximumScore: Int
}

/// A principal ranked by risk.
public struct PrincipalRisk: Sendable {
    public var principalARN: String
    public var findings: Int
    /// The sum of the scores of the principal's findings.
    public var totalScore: Int
    public var maximumScore: Int
}

/// The findings of one UTC day, by severity.
public struct DayCount: Sendable {
    /// `YYYY-MM-DD`.
    public var date: String
    public var counts: [Severity: Int]

    public var total: Int { counts.values.reduce(0, +) }
}

/// One finding listed in detail, with its raw event as evidence.
public struct ReportedFinding: Sendable {
    public var id: Int64
    public var eventID: String
    public var rule: String
    public var score: Int
    public var severity: String
    public var eventTime: String
    public var accountID: String?
    public var region: String?
    public var eventSource: String?
    public var eventName: String?
    public var principalARN: String?
    public var principalType: String?
    public var sourceIP: String?
    public var userAgent: String?
    public var errorCode: String?
    public var reasons: [Reason]
    /// The input path, or `stdin`.
    public var source: String
    /// The raw CloudTrail record, credentials redacted.
    public var event: String

    /// `eventSource:eventName`, with `-` for a missing part.
    public var action: String { (eventSource ?? "-") + ":" + (eventName ?? "-") }
}
