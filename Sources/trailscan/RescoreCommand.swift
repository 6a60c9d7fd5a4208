import Foundation
import TrailscanCore

enum RescoreCommand {
    static func run(_ arguments: [String]) throws -> Int32 {
        var parser = Arguments(arguments)
        var databasePath = ProcessInfo.processInfo.environment["TRAILSCAN_DB"] ?? "./trailscan.db"
        var configPath: String?
        var quiet = false
        var showHelp = false

        try parser.parse { flag, value in
            switch flag {
            case "--db": databasePath = try value()
            case "--config": configPath = try value()
            case "--quiet", "-q": quiet = true
            case "--help", "-h": showHelp = true
            default: throw UsageError(message: "unknown option \(flag) for rescore; run trailscan rescore --help")
            }
        }
        if showHelp {
            print(Help.rescore)
            return 0
        }
        if let extra = parser.positionals.first {
            throw UsageError(message: "unexpected argument \"\(extra)\"; rescore takes only options, such as --db FILE")
        }
        guard FileManager.default.fileExists(atPath: databasePath) else {
            throw UsageError(message: "\(databasePath) not found; name the findings database with --db FILE")
        }

        let config = try MergeCommand.loadConfig(configPath)
        let changed = try TrailStore.rescoreAll(path: databasePath, config: config)
        if !quiet {
            printError("trailscan: rescored \(databasePath): ip, time and role reasons changed for \(changed) findings; anomaly signal recomputed")
        }
        return 0
    }
}
