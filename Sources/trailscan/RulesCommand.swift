import Foundation
import Glibc
import TrailscanCore

/// `trailscan rules list|validate|test|export`.
enum RulesCommand {
    /// The options shared by every subcommand.
    private struct Options {
        var ruleDirectories: [String] = []
        var format: RuleExport.Format?
        var outputPath: String?
        var showHelp = false
    }

    static func run(_ arguments: [String]) throws -> Int32 {
        guard let subcommand = arguments.first, !subcommand.hasPrefix("-") else {
            if arguments.first == "--help" || arguments.first == "-h" {
                print(Help.rules)
                return 0
            }
            throw UsageError(message: "rules needs a subcommand: list, validate, test or export; run trailscan rules --help")
        }
        let options = try parseOptions(Array(arguments.dropFirst()), subcommand: subcommand)
        if options.showHelp {
            print(Help.rules)
            return 0
        }
        if subcommand != "export" && (options.format != nil || options.outputPath != nil) {
            throw UsageError(message: "--format and -o apply only to rules export")
        }

        switch subcommand {
        case "list": return try list(options)
        case "validate": return validate(options)
        case "test": return try test(options)
        case "export": return try export(options)
        default:
            throw UsageError(message: "unknown rules subcommand \"\(subcommand)\"; use list, validate, test or export")
        }
    }

    private static func parseOptions(_ arguments: [String], subcommand: String) throws -> Options {
        var parser = Arguments(arguments)
        var options = Options()
        try parser.parse { flag, value in
            switch flag {
            case "--rules": options.ruleDirectories.append(try value())
            case "--format":
                let text = try value()
                guard let format = RuleExport.Format(rawValue: text) else {
                    throw UsageError(message: "--format must be cloudformation or terraform, not \"\(text)\"")
                }
                options.format = format
            case "-o", "--output": options.outputPath = try value()
            case "--help", "-h": options.showHelp = true
            default: throw UsageError(message: "unknown option \(flag) for rules \(subcommand); run trailscan rules --help")
            }
        }
        if let extra = parser.positionals.first {
            throw UsageError(message: "rules \(subcommand) takes no argument, found \"\(extra)\"; use --rules DIR")
        }
        return options
    }

    // MARK: - Subcommands

    private static func list(_ options: Options) throws -> Int32 {
        let rules = try RuleSet.load(directories: options.ruleDirectories).rules
        var rows = [["NAME", "SCORE", "TAGS", "FILE"]]
        for rule in rules {
            let tags = rule.tags.isEmpty ? "-" : rule.tags.joined(separator: ",")
            rows.append([rule.name, String(rule.baseScore), tags, rule.file])
        }
        print(alignedColumns(rows), terminator: "")
        return 0
    }

    private static func validate(_ options: Options) -> Int32 {
        let (rules, problems) = RuleSet.check(directories: options.ruleDirectories)
        for problem in problems {
            print(problem.description)
        }
        if problems.isEmpty {
            print("\(rules.count) rules are valid")
            return 0
        }
        printError("trailscan: \(problems.count) problems found in the rules")
        return 2
    }

    private static func test(_ options: Options) throws -> Int32 {
        let results = try RuleSet.load(directories: options.ruleDirectories).testExamples()
        let nameWidth = results.map(\.rule.name.count).max() ?? 0
        for result in results {
            let rule = result.rule
            let counts = "(\(rule.matchExamples.count) match, \(rule.noMatchExamples.count) no_match)"
            let padded = rule.name.padding(toLength: nameWidth, withPad: " ", startingAt: 0)
            print("\(result.passed ? "ok  " : "FAIL") \(padded)  \(counts)")
            for failure in result.failures {
                print("     \(rule.file): \(failure)")
            }
        }
        let failed = results.filter { !$0.passed }.count
        print("\(results.count) rules tested, \(results.count - failed) passed, \(failed) failed")
        return failed == 0 ? 0 : 1
    }

    private static func export(_ options: Options) throws -> Int32 {
        guard let format = options.format else {
            throw UsageError(message: "rules export needs --format cloudformation or --format terraform")
        }
        let rules = try RuleSet.load(directories: options.ruleDirectories).rules
        let text = RuleExport.render(rules, format: format)
        if let outputPath = options.outputPath {
            try writePrivateFile(text, to: outputPath)
        } else {
            print(text, terminator: "")
        }
        return 0
    }

    // MARK: - Output

    /// Pads every column but the last to its widest cell, two spaces apart.
    private static func alignedColumns(_ rows: [[String]]) -> String {
        guard let columnCount = rows.first?.count else { return "" }
        let widths = (0..<columnCount).map { column in rows.map { $0[column].count }.max() ?? 0 }
        var text = ""
        for row in rows {
            let cells = row.enumerated().map { column, cell in
                column == columnCount - 1 ? cell : cell.padding(toLength: widths[column], withPad: " ", startingAt: 0)
            }
            text += cells.joined(separator: "  ") + "\n"
        }
        return text
    }

    /// Writes `text` to `path` with mode 0600, replacing any earlier file's
    /// contents and permissions.
    private static func writePrivateFile(_ text: String, to path: String) throws {
        let descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else {
            throw UsageError(message: "cannot write \(path): \(String(cString: strerror(errno)))")
        }
        defer { close(descriptor) }
        guard fchmod(descriptor, 0o600) == 0 else {
            throw UsageError(message: "cannot set the permissions of \(path): \(String(cString: strerror(errno)))")
        }
        var bytes = Array(text.utf8)[...]
        while !bytes.isEmpty {
            let written = bytes.withUnsafeBytes { Glibc.write(descriptor, $0.baseAddress, $0.count) }
            if written < 0 && errno == EINTR { continue }
            guard written > 0 else {
                throw UsageError(message: "cannot write \(path): \(String(cString: strerror(errno)))")
            }
            bytes = bytes.dropFirst(written)
        }
    }
}
