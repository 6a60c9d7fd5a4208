import Glibc

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
        text.withUnsafeBufferPointer { matches(lowercasedUTF8: $0) }
    }

    /// Returns whether `text`, already lowercased, matches the pattern.
    func matches(lowercasedUTF8 text: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let first = segments.first, let last = segments.last else { return false }
        if segments.count == 1 {
            return text.elementsEqual(first)
        }

        guard text.count >= first.count + last.count else { return false }
        guard Self.occurs(first, in: text, at: 0), Self.occurs(last, in: text, at: text.count - last.count) else { return false }

        var position = first.count
        let end = text.count - last.count
        for segment in segments.dropFirst().dropLast() {
            guard let found = Self.firstIndex(of: segment, in: text, from: position, before: end) else { return false }
            position = found + segment.count
        }
        return true
    }

    /// Returns whether `needle` occurs in `text` at `start`; the caller
    /// checks that it fits.
    private static func occurs(_ needle: [UInt8], in text: UnsafeBufferPointer<UInt8>, at start: Int) -> Bool {
        needle.withUnsafeBufferPointer { needle in
            needle.isEmpty || memcmp(text.baseAddress! + start, needle.baseAddress!, needle.count) == 0
        }
    }

    /// Returns the first index at or after `start` where `needle` occurs entirely
    /// before `end`, or nil. Candidates are found with `memchr` on the
    /// needle's first byte and confirmed with `memcmp`.
    private static func firstIndex(
        of needle: [UInt8], in text: UnsafeBufferPointer<UInt8>, from start: Int, before end: Int
    ) -> Int? {
        guard end - start >= needle.count else { return nil }
        guard let head = needle.first, let base = text.baseAddress else { return start }
        let lastStart = end - needle.count
        var index = start
        while index <= lastStart {
            guard let found = memchr(base + index, Int32(head), lastStart - index + 1) else { return nil }
            index = base.distance(to: found.assumingMemoryBound(to: UInt8.self))
            if occurs(needle, in: text, at: index) { return index }
            index += 1
        }
        return nil
    }
}

extension Glob: CustomStringConvertible {
    public var description: String {
        pattern
    }
}
