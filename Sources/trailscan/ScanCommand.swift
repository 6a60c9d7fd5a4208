import Foundation
import Glibc
import TrailscanCore

enum ScanCommand {
    static func run(_ arguments: [String]) throws -> Int32 {
        var parser = Arguments(arguments)
        var databasePath = ProcessInfo.processInfo.environment["TRAILSCAN_DB"] ?? "./trailscan.db"
        var ruleDirectories: [String] = []
        var configPath: String?
        var jobs = ProcessInfo.processInfo.activeProcessorCount
        var rescan = false
        var quiet = false
        var failOn: Severity?
        var shard: Shard?
        var emit: EmitFormat?
        var showHelp = false

        try parser.parse { flag, value in
            switch flag {
            case "--db": databasePath = try value()
            case "--rules": ruleDirectories.append(try value())
            case "--config": configPath = try value()
            case "--jobs":
                let text = try value()
                guard let number = Int(text), number >= 1 else {
                    throw UsageError(message: "--jobs must be a whole number of at least 1, not \"\(text)\"")
                }
                jobs = number
            case "--rescan": rescan = true
            case "--quiet", "-q": quiet = true
            case "--fail-on":
                let text = try value()
                guard let severity = Severity(rawValue: text) else {
                    throw UsageError(message: "--fail-on must be low, medium, high or critical, not \"\(text)\"")
                }
                failOn = severity
            case "--shard":
                let text = try value()
                guard let parsed = Shard(parsing: text) else {
                    throw UsageError(message: "--shard must be K/N with whole numbers 0 ≤ K < N, such as 0/4, not \"\(text)\"")
                }
                shard = parsed
            case "--emit":
                let text = try value()
                guard let format = EmitFormat(rawValue: text) else {
                    throw UsageError(message: "--emit must be ndjson, not \"\(text)\"")
                }
                emit = format
            case "--help", "-h": showHelp = true
            default: throw UsageError(message: "unknown option \(flag) for scan; run trailscan scan --help")
            }
        }
        if showHelp {
            print(Help.scan)
            return 0
        }

        var paths = parser.positionals
        if paths.isEmpty {
            guard isatty(STDIN_FILENO) == 0 else {
                throw UsageError(message: "no PATH given and standard input is a terminal; name a file or folder, or pipe NDJSON in")
            }
            paths = ["-"]
        }
        if let shard, paths.contains("-") {
            throw UsageError(message: "--shard \(shard) cannot split standard input; name the files or folders to scan")
        }
        for path in paths where path != "-" && !FileManager.default.fileExists(atPath: path) {
            throw UsageError(message: "\(path) not found; name an existing file or folder, or - for standard input")
        }
        if configPath == nil && FileManager.default.fileExists(atPath: "trailscan.json") {
            configPath = "trailscan.json"
        }

        // The folders are walked while the configuration and the rules load.
        let discovery = paths.contains { $0 != "-" } ? PendingDiscovery(paths: paths) : nil
        let config = try configPath.map { path throws(ConfigError) in try ScoringConfig.load(path: path) } ?? .defaults
        let rules = try RuleSet.load(directories: ruleDirectories)

        var options = ScanOptions(paths: paths, databasePath: databasePath, jobs: jobs)
        options.ruleDirectories = ruleDirectories
        options.configPath = configPath
        options.rescan = rescan
        options.failOn = failOn
        options.quiet = quiet
        options.shard = shard
        options.emit = emit
        options.arguments = ["scan"] + arguments

        let scanner = Scanner(
            options: options, rules: rules, config: config, discovery: discovery, log: { printError("trailscan: \($0)") })
        let summary = try scanner.run()
        if !quiet || summary.exitStatus == 3 {
            printError("trailscan: " + summary.line)
        }
        return summary.exitStatus
    }
}
