/// The options of one `trailscan scan` run.
public struct ScanOptions: Sendable {
    /// Files and folders to read; `-` is standard input.
    public var paths: [String]
    public var databasePath: String
    public var ruleDirectories: [String] = []
    public var configPath: String?
    public var jobs: Int
    public var rescan = false
    /// Exit with status 1 when a finding of this run reaches this severity.
    public var failOn: Severity?
    public var quiet = false
    /// When set, only the files of this shard are read.
    public var shard: Shard?
    /// When set, each new finding is also written to standard output in this format.
    public var emit: EmitFormat?
    /// The command line, stored in `runs.arguments`.
    public var arguments: [String] = []
    /// False only in the scoring benchmark: no baseline observations, no
    /// ip, time and role reasons and no anomaly rescoring.
    var isScoring = true

    public init(paths: [String], databasePath: String, jobs: Int) {
        self.paths = paths
        self.databasePath = databasePath
        self.jobs = jobs
    }
}

/// The counts of one scan, for the summary line and the exit status.
public struct ScanSummary: Sendable {
    public var inputsRead = 0
    public var inputsAlreadyDone = 0
    public var digestsSkipped = 0
    public var otherFilesSkipped = 0
    public var inputsFailed = 0
    public var records = 0
    public var badRecords = 0
    public var newFindings = 0
    /// New findings of this run by severity, after rescoring.
    public var findingsBySeverity: [Severity: Int] = [:]
    public var seconds = 0.0
    public var failOnReached = false

    /// 3 when some input failed, 1 when the `--fail-on` threshold was reached, else 0.
    public var exitStatus: Int32 {
        if inputsFailed > 0 { return 3 }
        if failOnReached { return 1 }
        return 0
    }

    /// One line for cron mail and terminals.
    public var line: String {
        var parts = [Self.count(inputsRead, "input") + " read"]
        if inputsAlreadyDone > 0 { parts.append("\(inputsAlreadyDone) already done") }
        if digestsSkipped > 0 { parts.append(Self.count(digestsSkipped, "digest file") + " skipped") }
        if otherFilesSkipped > 0 { parts.append(Self.count(otherFilesSkipped, "other file") + " skipped") }
        if inputsFailed > 0 { parts.append("\(inputsFailed) failed") }
        var text = parts.joined(separator: ", ") + "; " + Self.count(records, "record")
        if badRecords > 0 { text += " (\(badRecords) unreadable)" }
        let severities = Severity.allCases.reversed().map { "\(findingsBySeverity[$0] ?? 0) \($0.rawValue)" }
        text += "; " + Self.count(newFindings, "new finding") + " (" + severities.joined(separator: ", ") + ")"
        text += String(format: " in %.2f s", seconds)
        return text
    }

    private static func count(_ number: Int, _ noun: String) -> String {
        "\(number) \(noun)" + (number == 1 ? "" : "s")
    }
}
