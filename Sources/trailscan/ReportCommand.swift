import Foundation
import TrailscanCore

enum ReportCommand {
    static func run(_ arguments: [String]) throws -> Int32 {
        var parser = Arguments(arguments)
        var databasePath = ProcessInfo.processInfo.environment["TRAILSCAN_DB"] ?? "./trailscan.db"
        var outputPath: String?
        var limit = 20
        var showHelp = false

        try parser.parse { flag, value in
            switch flag {
            case "--db": databasePath = try value()
            case "-o", "--output": outputPath = try value()
            case "--format":
                let format = try value()
                guard format == "text" else {
                    throw UsageError(message: "--format \(format) is not available yet; use --format text")
                }
            case "--limit":
                let text = try value()
                guard let number = Int(text), number >= 0 else {
                    throw UsageError(message: "--limit must be a whole number, not \"\(text)\"")
                }
                limit = number
            case "--help", "-h": showHelp = true
            default: throw UsageError(message: "unknown option \(flag) for report; run trailscan report --help")
            }
        }
        if showHelp {
            print(Help.report)
            return 0
        }
        if let extra = parser.positionals.first {
            throw UsageError(message: "report takes no PATH, found \"\(extra)\"; use --db FILE")
        }
        guard FileManager.default.fileExists(atPath: databasePath) else {
            throw UsageError(message: "database \(databasePath) not found; run trailscan scan first or pass --db FILE")
        }

        let text = try TextReport(databasePath: databasePath, limit: limit).render()
        if let outputPath {
            guard FileManager.default.createFile(atPath: outputPath, contents: Data(text.utf8), attributes: [.posixPermissions: 0o600]) else {
                throw UsageError(message: "cannot write \(outputPath)")
            }
        } else {
            print(text, terminator: "")
        }
        return 0
    }
}
