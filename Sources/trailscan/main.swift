import Foundation
import TrailscanCore

/// Writes to standard error, unbuffered.
func printError(_ text: String) {
    FileHandle.standardError.write((text + "\n").data(using: .utf8)!)
}

/// Runs one command and maps any error to a message and an exit status.
func runCommand(_ arguments: [String]) -> Int32 {
    do {
        guard let command = arguments.first else {
            print(Help.main)
            return 2
        }
        let rest = Array(arguments.dropFirst())
        switch command {
        case "scan": return try ScanCommand.run(rest)
        case "report": return try ReportCommand.run(rest)
        case "match": return try MatchCommand.run(rest)
        case "rules": return try RulesCommand.run(rest)
        case "merge": return try MergeCommand.run(rest)
        case "rescore": return try RescoreCommand.run(rest)
        case "--help", "-h", "help":
            print(Help.main)
            return 0
        case "--version":
            print("trailscan \(trailscanVersion)")
            return 0
        default:
            throw UsageError(message: "unknown command \"\(command)\"; run trailscan --help for the list")
        }
    } catch let error as UsageError {
        printError("trailscan: error: \(error.message)")
        return 2
    } catch let error as ConfigError {
        printError("trailscan: error: invalid configuration: \(error)")
        return 2
    } catch let error as RuleError {
        printError("trailscan: error: invalid rule: \(error)")
        return 2
    } catch {
        printError("trailscan: error: \(error)")
        return 2
    }
}

exit(runCommand(Array(CommandLine.arguments.dropFirst())))
