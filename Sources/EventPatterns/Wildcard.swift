/// A compiled `wildcard` pattern: literal pieces separated by `*`.
///
/// `*` matches any run of bytes, including an empty run and including `/`.
/// `\*` is a literal star and `\\` a literal backslash. Every other character,
/// `?` and `.` among them, is literal.
///
/// The text `"a*b*c"` compiles to the pieces `["a", "b", "c"]`: the first piece
/// must be a prefix, the last a suffix, and each middle piece is found at its
/// leftmost place after the previous one. The leftmost place leaves the most
/// room for the pieces after it, and the star before each piece absorbs the
/// bytes it skips, so matching needs no backtracking.
///
/// - Complexity: O(n × m) for a value of n bytes and a pattern of m bytes, with
///   no exponential cases.
struct Wildcard: Hashable, Sendable {
    /// The literal UTF-8 pieces between stars. A pattern without stars has one
    /// piece, and `"*"` has two empty pieces.
    let pieces: [[UInt8]]

    /// The reason a wildcard text is invalid.
    enum ParseError: Error, Equatable {
        /// `**`, which EventBridge rejects.
        case consecutiveStars
        /// A backslash before something other than `*` or `\`, or at the end.
        case invalidEscape(after: String)
    }

    init(parsing text: String) throws(ParseError) {
        var pieces: [[UInt8]] = []
        var current: [UInt8] = []
        var previousWasStar = false
        var iterator = text.unicodeScalars.makeIterator()

        while let scalar = iterator.next() {
            switch scalar {
            case "*":
                if previousWasStar { throw .consecutiveStars }
                pieces.append(current)
                current = []
                previousWasStar = true
            case "\\":
                guard let escaped = iterator.next() else { throw .invalidEscape(after: "") }
                guard escaped == "*" || escaped == "\\" else { throw .invalidEscape(after: String(escaped)) }
                current.append(UInt8(ascii: escaped))
                previousWasStar = false
            default:
                current.append(contentsOf: String(scalar).utf8)
                previousWasStar = false
            }
        }
        pieces.append(current)
        self.pieces = pieces
    }

    func matches(_ value: ArraySlice<UInt8>) -> Bool {
        let first = pieces[0]
        guard pieces.count > 1 else { return value.elementsEqual(first) }

        let last = pieces[pieces.count - 1]
        guard value.count >= first.count + last.count,
            value.starts(with: first),
            value.reversed().starts(with: last.reversed())
        else { return false }

        var position = value.startIndex + first.count
        let end = value.endIndex - last.count
        for piece in pieces[1..<(pieces.count - 1)] {
            guard let found = Wildcard.firstIndex(of: piece, in: value[position..<end]) else { return false }
            position = found + piece.count
        }
        return true
    }

    /// Returns the start of the leftmost occurrence of `needle` in `haystack`.
    private static func firstIndex(of needle: [UInt8], in haystack: ArraySlice<UInt8>) -> Int? {
        guard needle.count <= haystack.count else { return nil }
        guard let head = needle.first else { return haystack.startIndex }
        var start = haystack.startIndex
        let lastStart = haystack.endIndex - needle.count
        while start <= lastStart {
            if haystack[start] == head && haystack[start..<(start + needle.count)].elementsEqual(needle) {
                return start
            }
            start += 1
        }
        return nil
    }
}
