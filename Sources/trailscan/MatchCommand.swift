import EventPatterns
import Foundation
import Glibc
import TrailscanCore

/// `trailscan match`: prints the events that a pattern matches, like grep.
enum MatchCommand {
    static func run(_ arguments: [String]) throws -> Int32 {
        var parser = Arguments(arguments)
        var patternArgument: String?
        var view = MatchView.envelope
        var showHelp = false

        try parser.parse { flag, value in
            switch flag {
            case "--pattern", "-p": patternArgument = try value()
            case "--raw": view = .raw
            case "--help", "-h": showHelp = true
            default: throw UsageError(message: "unknown option \(flag) for match; run trailscan match --help")
            }
        }
        if showHelp {
            print(Help.match)
            return 0
        }
        guard let patternArgument else {
            throw UsageError(message: "match needs --pattern FILE_OR_JSON, for example --pattern '{\"source\": [\"aws.sts\"]}'")
        }
        let pattern = try loadPattern(patternArgument)
        let path = try eventPath(parser.positionals)

        let filter = EventFilter(pattern: pattern, view: view)
        let output = LineWriter(fileDescriptor: STDOUT_FILENO)
        let summary: MatchSummary
        do {
            summary = try filter.run(path: path, onMatch: output.write, onProblem: { printError("trailscan: error: \($0)") })
        } catch {
            output.flush()
            printError("trailscan: error: \(error)")
            return 2
        }
        output.flush()
        if summary.problemCount > 0 {
            printError("trailscan: \(summary.problemCount) of \(summary.events) events could not be read")
            return 2
        }
        return summary.matches > 0 ? 0 : 1
    }

    /// Returns the input to read: a path, or nil for standard input.
    private static func eventPath(_ positionals: [String]) throws -> String? {
        guard positionals.count <= 1 else {
            throw UsageError(message: "match reads one EVENT_FILE, found \(positionals.count); concatenate them and pipe into trailscan match -")
        }
        guard let path = positionals.first, path != "-" else {
            if positionals.isEmpty && isatty(STDIN_FILENO) != 0 {
                throw UsageError(message: "no EVENT_FILE given and standard input is a terminal; name a file, or pipe events in")
            }
            return nil
        }
        guard FileManager.default.fileExists(atPath: path) else {
            throw UsageError(message: "\(path) not found; name an existing event file, or - for standard input")
        }
        return path
    }

    /// Reads `--pattern`: inline JSON when the text starts with `{` and parses
    /// as JSON, otherwise the path of a pattern file.
    private static func loadPattern(_ argument: String) throws -> Pattern {
        let trimmed = argument.drop(while: \.isWhitespace)
        if trimmed.hasPrefix("{"), let json = try? JSONValue(parsing: argument) {
            return try compile(json, source: "--pattern")
        }
        guard let data = FileManager.default.contents(atPath: argument) else {
            if trimmed.hasPrefix("{") {
                do {
                    _ = try JSONValue(parsing: argument)
                } catch {
                    throw UsageError(message: "invalid pattern in --pattern: the text is not valid JSON: \(error)")
                }
            }
            throw UsageError(message: "pattern file \(argument) not found; pass a pattern file or inline JSON starting with {")
        }
        let json: JSONValue
        do {
            json = try JSONValue(parsing: data)
        } catch {
            throw UsageError(message: "invalid pattern in \(argument): the file is not valid JSON: \(error)")
        }
        return try compile(json, source: argument)
    }

    private static func compile(_ json: JSONValue, source: String) throws -> Pattern {
        do {
            return try Pattern(json)
        } catch {
            throw UsageError(message: "invalid pattern in \(source): \(error)")
        }
    }
}

/// Writes lines to a file descriptor through a buffer, flushing after every
/// line when the descriptor is a terminal.
private final class LineWriter {
    private let fileDescriptor: Int32
    private let isTerminal: Bool
    private var buffer: [UInt8] = []
    private let capacity = 64 * 1024

    init(fileDescriptor: Int32) {
        self.fileDescriptor = fileDescriptor
        self.isTerminal = isatty(fileDescriptor) != 0
        buffer.reserveCapacity(capacity)
    }

    /// Appends `line` and a line break.
    func write(_ line: [UInt8]) {
        buffer += line
        buffer.append(0x0A)
        if isTerminal || buffer.count >= capacity { flush() }
    }

    /// Writes out the buffer. A write error drops the rest of the buffer.
    func flush() {
        var start = 0
        while start < buffer.count {
            let written = buffer[start...].withUnsafeBytes { Glibc.write(fileDescriptor, $0.baseAddress, $0.count) }
            if written < 0 && errno == EINTR { continue }
            guard written > 0 else { break }
            start += written
        }
        buffer.removeAll(keepingCapacity: true)
    }
}
