import Foundation
import TrailscanCore

enum MergeCommand {
    static func run(_ arguments: [String]) throws -> Int32 {
        var parser = Arguments(arguments)
        var configPath: String?
        var quiet = false
        var showHelp = false

        try parser.parse { flag, value in
            switch flag {
            case "--config": configPath = try value()
            case "--quiet", "-q": quiet = true
            case "--help", "-h": showHelp = true
            default: throw UsageError(message: "unknown option \(flag) for merge; run trailscan merge --help")
            }
        }
        if showHelp {
            print(Help.merge)
            return 0
        }

        let paths = parser.positionals
        guard paths.count >= 2 else {
            throw UsageError(message: "merge needs OUT.db and at least one IN.db; run trailscan merge --help")
        }
        let config = try loadConfig(configPath)

        do {
            let summary = try TrailStore.merge(into: paths[0], from: Array(paths.dropFirst()), config: config)
            if !quiet {
                printError("trailscan: " + summary.line)
            }
        } catch let error as MergeError {
            throw UsageError(message: error.description)
        }
        return 0
    }

    /// Loads the scoring configuration from `path`, else ./trailscan.json when present, else returns the defaults.
    static func loadConfig(_ path: String?) throws -> ScoringConfig {
        var path = path
        if path == nil && FileManager.default.fileExists(atPath: "trailscan.json") {
            path = "trailscan.json"
        }
        return try path.map { path throws(ConfigError) in try ScoringConfig.load(path: path) } ?? .defaults
    }
}
