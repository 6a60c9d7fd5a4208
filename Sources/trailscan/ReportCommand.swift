import Foundation
import Glibc
import TrailscanCore

enum ReportCommand {
    /// The options of one `report` run.
    private struct Options {
        var databasePath = ProcessInfo.processInfo.environment["TRAILSCAN_DB"] ?? "./trailscan.db"
        var outputPath: String?
        var format = ReportFormat.text
        var filter = ReportFilter()
        var limit: Int? = 20
        var isLimitSet = false
        var isAllSet = false
        var showHelp = false
    }

    static func run(_ arguments: [String]) throws -> Int32 {
        let now = Int64(Date().timeIntervalSince1970)
        let options = try parse(arguments, now: now)
        if options.showHelp {
            print(Help.report)
            return 0
        }
        guard FileManager.default.fileExists(atPath: options.databasePath) else {
            throw UsageError(message: "database \(options.databasePath) not found; run trailscan scan first or pass --db FILE")
        }

        guard let outputPath = options.outputPath else {
            let environment = ProcessInfo.processInfo.environment
            let isColored = options.format == .text && isatty(STDOUT_FILENO) == 1 && (environment["NO_COLOR"] ?? "").isEmpty
            try Report.write(databasePath: options.databasePath, format: options.format, filter: options.filter,
                             limit: options.limit, now: now, isColored: isColored, to: ReportOutput(descriptor: STDOUT_FILENO))
            return 0
        }

        // The report holds raw events, so only the owner may read the file,
        // also when it existed before with a wider mode.
        let descriptor = open(outputPath, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else {
            throw UsageError(message: "cannot write \(outputPath): \(String(cString: strerror(errno)))")
        }
        defer { close(descriptor) }
        fchmod(descriptor, 0o600)
        try Report.write(databasePath: options.databasePath, format: options.format, filter: options.filter,
                         limit: options.limit, now: now, to: ReportOutput(descriptor: descriptor))
        return 0
    }

    private static func parse(_ arguments: [String], now: Int64) throws -> Options {
        var parser = Arguments(arguments)
        var options = Options()
        try parser.parse { flag, value in
            switch flag {
            case "--db": options.databasePath = try value()
            case "-o", "--output": options.outputPath = try value()
            case "--format":
                let text = try value()
                guard let format = ReportFormat(rawValue: text) else {
                    throw UsageError(message: "--format must be text, markdown, html, csv or json, not \"\(text)\"")
                }
                options.format = format
            case "--since": options.filter.since = try time(flag, try value(), bound: .start, now: now)
            case "--until": options.filter.until = try time(flag, try value(), bound: .end, now: now)
            case "--account":
                let text = try value()
                guard text.utf8.count == 12, text.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else {
                    throw UsageError(message: "--account must be a 12-digit AWS account ID, not \"\(text)\"")
                }
                options.filter.account = text
            case "--rule":
                let text = try value()
                guard !text.isEmpty else { throw UsageError(message: "--rule needs a rule name; run trailscan rules list") }
                options.filter.rule = text
            case "--min-severity":
                let text = try value()
                guard let severity = Severity(rawValue: text) else {
                    throw UsageError(message: "--min-severity must be low, medium, high or critical, not \"\(text)\"")
                }
                options.filter.minimumSeverity = severity
            case "--limit":
                let text = try value()
                guard let number = Int(text), number >= 0 else {
                    throw UsageError(message: "--limit must be a whole number of 0 or more, not \"\(text)\"")
                }
                options.limit = number
                options.isLimitSet = true
            case "--all":
                options.limit = nil
                options.isAllSet = true
            case "--help", "-h": options.showHelp = true
            default: throw UsageError(message: "unknown option \(flag) for report; run trailscan report --help")
            }
        }
        if let extra = parser.positionals.first {
            throw UsageError(message: "report takes no PATH, found \"\(extra)\"; use --db FILE")
        }
        if options.isLimitSet && options.isAllSet {
            throw UsageError(message: "--limit and --all exclude each other; pass one of them")
        }
        if let since = options.filter.since, let until = options.filter.until, since > until {
            throw UsageError(message: "--since (\(format(since))) is later than --until (\(format(until))); swap them")
        }
        return options
    }

    private static func time(_ flag: String, _ text: String, bound: ReportTime.Bound, now: Int64) throws -> Int64 {
        do {
            return try ReportTime.parse(text, bound: bound, now: now)
        } catch {
            throw UsageError(message: "\(flag): \(error)")
        }
    }

    private static func format(_ epoch: Int64) -> String {
        ReportFilter(since: epoch).descriptions[0].value
    }
}
