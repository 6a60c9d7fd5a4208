/// One alternative listed for a field in a pattern, compiled to a test on a
/// single leaf value.
///
/// A field's alternatives are OR-ed. `{"exists": false}` is not a leaf test
/// (it holds when there is no leaf), so `FieldCondition.acceptsAbsence`
/// carries it instead.
enum ValueTest: Hashable, Sendable {
    /// A string literal, compared byte for byte after JSON unescaping.
    case string([UInt8])
    /// A string literal that is an IP address: it also matches other
    /// spellings of the same address (`2001:db8::1` and `2001:0DB8:0:0:0:0:0:1`).
    case ipAddress(IPAddress)
    /// A number literal, compared by value with JSON numbers only.
    case number(Double)
    /// `true`, `false` or `null`.
    case literal(FlatEvent.Kind)
    case prefix([UInt8])
    case suffix([UInt8])
    /// The lowercased prefix of `{"prefix": {"equals-ignore-case": ..}}`.
    case prefixIgnoringCase([UInt8])
    case suffixIgnoringCase([UInt8])
    /// The lowercased text of `{"equals-ignore-case": ..}`.
    case equalsIgnoringCase([UInt8])
    case wildcard(Wildcard)
    case numeric(NumericRange)
    case cidr(CIDRBlock)
    /// `{"exists": true}`: any leaf value, `null` included.
    case exists
    /// `{"anything-but": ..}`: any leaf value the exclusion does not cover.
    case anythingBut(Exclusion)

    /// The cost class used to order a branch's conditions: exact values are
    /// cheap and selective, so they run first.
    var rank: Int {
        switch self {
        case .string, .ipAddress, .number, .literal: 0
        case .prefix, .suffix, .numeric, .cidr: 1
        case .prefixIgnoringCase, .suffixIgnoringCase, .equalsIgnoringCase, .wildcard: 2
        case .exists, .anythingBut: 3
        }
    }
}

/// What an `anything-but` operator excludes. A string exclusion never
/// excludes a number, `null` or a boolean, and a number exclusion never
/// excludes a string.
enum Exclusion: Hashable, Sendable {
    case strings([[UInt8]])
    case numbers([Double])
    case prefixes([[UInt8]])
    case suffixes([[UInt8]])
    /// Lowercased strings.
    case stringsIgnoringCase([[UInt8]])
    case wildcards([Wildcard])

    func excludes(_ leaf: FlatEvent.Leaf, in event: FlatEvent) -> Bool {
        if case .numbers(let values) = self {
            return leaf.kind == .number && values.contains(leaf.number)
        }
        guard leaf.kind == .string else { return false }

        let value = event.stringBytes(of: leaf)
        switch self {
        case .strings(let values): return values.contains { value.elementsEqual($0) }
        case .numbers: return false
        case .prefixes(let values): return values.contains { value.starts(with: $0) }
        case .suffixes(let values): return values.contains { value.hasSuffix($0) }
        case .wildcards(let values): return values.contains { $0.matches(value) }
        case .stringsIgnoringCase(let values):
            let lowered = CaseFolding.lowercased(value)
            return values.contains { lowered.elementsEqual($0) }
        }
    }
}

/// A `numeric` condition: an interval whose ends may be open, closed or
/// missing. `["=", 5]` is the closed interval [5, 5].
struct NumericRange: Hashable, Sendable {
    var lower: Double?
    var lowerIsInclusive: Bool
    var upper: Double?
    var upperIsInclusive: Bool

    func contains(_ value: Double) -> Bool {
        if let lower {
            guard lowerIsInclusive ? value >= lower : value > lower else { return false }
        }
        if let upper {
            guard upperIsInclusive ? value <= upper : value < upper else { return false }
        }
        return true
    }
}

/// Case-insensitive comparison by lowercasing both sides with the standard
/// library's Unicode `lowercased()`.
enum CaseFolding {
    /// Returns the lowercased UTF-8 bytes of `text`. ASCII text is lowercased byte by
    /// byte, which gives the same result as `String.lowercased()`.
    static func lowercased(_ text: some Collection<UInt8>) -> [UInt8] {
        if text.allSatisfy({ $0 < 0x80 }) {
            return text.map { $0 >= UInt8(ascii: "A") && $0 <= UInt8(ascii: "Z") ? $0 + 32 : $0 }
        }
        return Array(String(decoding: text, as: UTF8.self).lowercased().utf8)
    }
}

extension BidirectionalCollection where Element == UInt8 {
    func hasSuffix(_ suffix: [UInt8]) -> Bool {
        count >= suffix.count && reversed().starts(with: suffix.reversed())
    }
}
