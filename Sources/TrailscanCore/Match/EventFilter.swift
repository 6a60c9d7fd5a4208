import EventPatterns
import Glibc

/// The view of each event that `trailscan match` gives the pattern.
public enum MatchView: Sendable {
    /// As `scan` does: a bare CloudTrail record is wrapped in the EventBridge
    /// envelope AWS would deliver, and an envelope is matched as it is.
    case envelope
    /// Each JSON object exactly as given, with no envelope added.
    case raw
}

/// Counts of one `EventFilter.run`.
public struct MatchSummary: Sendable {
    /// Events read, including those that could not be read.
    public var events = 0
    public var matches = 0
    /// Events that could not be read: invalid JSON or not a JSON object.
    public var problemCount = 0
}

/// Reads events from one input and passes those that match a pattern to a
/// callback, for `trailscan match`.
///
/// The input is read as `scan` reads it: gzip recognised by content, then
/// `{"Records": [...]}`, `{"Events": [...]}` (lookup-events output), a JSON
/// array, or a sequence of objects (NDJSON).
public struct EventFilter {
    private let pattern: Pattern
    private let view: MatchView
    private let matcher: PatternMatcher

    public init(pattern: Pattern, view: MatchView) {
        self.pattern = pattern
        self.view = view
        self.matcher = PatternMatcher([pattern])
    }

    /// Reads the file at `path`, or standard input when `path` is nil.
    ///
    /// `onMatch` receives each matching event as one line of compact JSON
    /// without a line break: the bytes as read, with whitespace between
    /// tokens removed. In the envelope view a lookup-events item yields its
    /// decoded record. `onProblem` receives each event that could not be read; the
    /// run goes on with the next one.
    ///
    /// - Throws: `InputError` when the input cannot be opened or read, or is
    ///   damaged past recovery (corrupt gzip, a broken `Records` document).
    ///   Events matched before the failure have already been passed on.
    public func run(
        path: String?, onMatch: ([UInt8]) -> Void, onProblem: (InputError) -> Void
    ) throws(InputError) -> MatchSummary {
        let source: DecompressingReader
        if let path {
            source = try DecompressingReader(path: path)
        } else {
            source = DecompressingReader(fileDescriptor: STDIN_FILENO, name: "stdin")
        }
        let reader = RecordReader(source: source)
        var summary = MatchSummary()
        var envelopeMatcher = EnvelopeViewMatcher(matcher: matcher)
        var line: [UInt8] = []
        var reportedReaderProblems = 0

        while let record = try reader.next() {
            reportedReaderProblems = report(reader, after: reportedReaderProblems, onProblem: onProblem)
            summary.events += 1
            line.removeAll(keepingCapacity: true)
            do {
                switch view {
                case .envelope:
                    try envelopeMatcher.match(record.bytes) { matched, hits in
                        if !hits.isEmpty { appendCompactJSON(matched, to: &line) }
                    }
                case .raw:
                    if try matchesRaw(record.bytes) { appendCompactJSON(record.bytes, to: &line) }
                }
            } catch {
                summary.problemCount += 1
                onProblem(problem(error, record: record, reader: reader, path: source.path))
                continue
            }
            if !line.isEmpty {
                summary.matches += 1
                onMatch(line)
            }
        }
        report(reader, after: reportedReaderProblems, onProblem: onProblem)
        summary.problemCount += reader.problemCount
        summary.events += reader.problemCount
        return summary
    }

    /// Parses one object with the strict `JSONValue` parser and matches it
    /// with no envelope.
    private func matchesRaw(_ bytes: UnsafeBufferPointer<UInt8>) throws(RecordProblem) -> Bool {
        let value: JSONValue
        do {
            value = try JSONValue(parsing: bytes)
        } catch {
            throw RecordProblem(offset: error.offset, message: error.message)
        }
        guard value.objectMembers != nil else {
            throw RecordProblem(offset: 0, message: "an event must be a JSON object, found \(value.typeName)")
        }
        var hits: [Int] = []
        matcher.matchingPatterns(in: FlatEvent(value, fieldPaths: matcher.fieldPaths), into: &hits)
        return !hits.isEmpty
    }

    /// Passes on the line-level problems the reader found since the last
    /// call; the reader keeps the first ten of each input.
    @discardableResult
    private func report(_ reader: RecordReader, after reported: Int, onProblem: (InputError) -> Void) -> Int {
        for problem in reader.problems.dropFirst(reported) { onProblem(problem) }
        return reader.problems.count
    }

    private func problem(_ error: any Error, record: RecordReader.Record, reader: RecordReader, path: String) -> InputError {
        let (offset, message): (Int, String) =
            switch error {
            case let syntax as FieldScanner.SyntaxError: (syntax.offset, syntax.message)
            case let problem as RecordProblem: (problem.offset, problem.message)
            default: (0, "\(error)")
            }
        let byte = record.offset + Int64(offset)
        return InputError(
            path: path, location: "line \(reader.line(ofOffset: record.offset)), byte \(byte)",
            message: "invalid event: \(message)")
    }
}

/// A problem with one event in the raw view, at a byte offset of the event.
private struct RecordProblem: Error {
    var offset: Int
    var message: String
}
