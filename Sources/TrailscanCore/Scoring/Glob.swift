/// A case-insensitive wildcard pattern in which `*` matches any run of
/// characters, including none. Every other character matches itself.
///
/// The pattern is stored as the lowercased literal segments between the
/// stars. `*admin*role` becomes ["", "admin", "role"]: the text must start
/// with the first segment and end with the last, and each middle segment must
/// occur in order in between. Taking the leftmost occurrence of each middle
/// segment is enough, because an earlier match leaves more room for the
/// segments after it.
public struct Glob: Hashable, Sendable {
    /// The pattern as written.
    public let pattern: String
    /// The lowercased UTF-8 segments between the stars. There is always at
    /// least one, and exactly one when the pattern has no star.
    private let segments: [[UInt8]]

    public init(_ pattern: String) {
        self.pattern = pattern
        self.segments = pattern.lowercased()
            .split(separator: "*", omittingEmptySubsequences: false)
            .map { Array($0.utf8) }
    }

    /// Returns whether the whole of `text` matches the pattern, ignoring case.
    public func matches(_ text: String) -> Bool {
        matches(lowercasedUTF8: Array(text.lowercased().utf8))
    }

    /// Returns whether `text`, already lowercased, matches the pattern. Callers that
    /// test one text against many patterns lowercase it once.
    func matches(lowercasedUTF8 text: [UInt8]) -> Bool {
        guard let first = segments.first, let last = segments.last else { return false }
        if segments.count == 1 {
            return text == first
        }

        guard text.count >= first.count + last.count else { return false }
        guard text.starts(with: first), text[(text.count - last.count)...].elementsEqual(last) else { return false }

        var position = first.count
        let end = text.count - last.count
        for segment in segments.dropFirst().dropLast() {
            guard let found = Self.firstIndex(of: segment, in: text, from: position, before: end) else { return false }
            position = found + segment.count
        }
        return true
    }

    /// Returns the first index at or after `start` where `needle` occurs entirely
    /// before `end`, or nil.
    private static func firstIndex(of needle: [UInt8], in text: [UInt8], from start: Int, before end: Int) -> Int? {
        guard end - start >= needle.count else { return nil }

        for index in start...(end - needle.count) where text[index..<(index + needle.count)].elementsEqual(needle) {
            return index
        }
        return nil
    }
}

extension Glob: CustomStringConvertible {
    public var description: String {
        pattern
    }
}
