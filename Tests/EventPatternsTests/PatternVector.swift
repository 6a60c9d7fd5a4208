import EventPatterns
import Testing

/// One line of a pattern vector file: a pattern with an event and the
/// expected match result, or a pattern that must be rejected.
///
/// A line is a JSON object with `id`, `pattern`, and either `event` and
/// `match` or `"invalid": true`. Other keys (`feature`, `source`, `note`) are
/// ignored.
struct PatternVector: Sendable, CustomTestStringConvertible {
    var id: String
    var pattern: JSONValue
    /// The expected outcome: nil when the pattern must be rejected.
    var expectation: (event: JSONValue, match: Bool)?

    var testDescription: String { id }

    /// Parses every non-blank line of a vector file.
    static func load(contentsOf path: String) throws -> [PatternVector] {
        let text = try readFile(path)
        var vectors: [PatternVector] = []
        for (offset, line) in text.split(separator: "\n").enumerated() where !line.allSatisfy(\.isWhitespace) {
            let json = try JSONValue(parsing: String(line))
            guard let vector = PatternVector(json) else {
                throw VectorFileError(message: "\(path) line \(offset + 1) is not a pattern vector")
            }
            vectors.append(vector)
        }
        return vectors
    }

    init?(_ json: JSONValue) {
        guard let id = json["id"]?.stringValue, let pattern = json["pattern"] else { return nil }
        self.id = id
        self.pattern = pattern
        if json["invalid"]?.boolValue == true {
            self.expectation = nil
        } else if let event = json["event"], let match = json["match"]?.boolValue {
            self.expectation = (event, match)
        } else {
            return nil
        }
    }

    /// Runs the vector. Returns nil when it passes, or what went wrong.
    func failure() -> String? {
        guard let (event, expectedMatch) = expectation else {
            do {
                _ = try Pattern(pattern)
                return "\(id): accepted a pattern that must be rejected"
            } catch {
                return nil
            }
        }

        let compiled: Pattern
        do {
            compiled = try Pattern(pattern)
        } catch {
            return "\(id): rejected a valid pattern: \(error)"
        }
        let matcher = PatternMatcher([compiled])
        var matches: [Int] = []
        matcher.matchingPatterns(in: FlatEvent(event, fieldPaths: matcher.fieldPaths), into: &matches)
        let didMatch = matches == [0]
        return didMatch == expectedMatch ? nil : "\(id): expected match \(expectedMatch), got \(didMatch)"
    }
}

struct VectorFileError: Error, CustomStringConvertible {
    var message: String
    var description: String { message }
}
