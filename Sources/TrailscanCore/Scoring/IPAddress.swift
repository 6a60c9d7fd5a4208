/// An IPv4 or IPv6 address.
///
/// Both families share one 128-bit value so that one sorted table can hold
/// networks of either family. An IPv4 address is stored as the IPv4-mapped
/// IPv6 address `::ffff:a.b.c.d` (RFC 4291, section 2.5.5.2), which also makes
/// the text `::ffff:10.0.0.1` parse to the same value as `10.0.0.1`.
///
/// Parsing is strict, like `inet_pton`: dotted quads need four decimal parts
/// from 0 to 255 without leading zeros, so the pseudonymised values
/// `253.252.51.07` and `035.1.1.1` are not addresses. Zone indices
/// (`fe80::1%eth0`), surrounding spaces and host names are rejected too.
public struct IPAddress: Hashable, Comparable, Sendable {
    /// The address as a 128-bit big-endian number.
    public let value: UInt128

    /// The mask of the `::ffff:0:0/96` prefix that marks an IPv4 address.
    static let ipv4MappedPrefix: UInt128 = 0xffff << 32

    /// Creates the address with this 128-bit value.
    public init(value: UInt128) {
        self.value = value
    }

    /// Creates the IPv4 address with this 32-bit value.
    public init(ipv4 value: UInt32) {
        self.value = Self.ipv4MappedPrefix | UInt128(value)
    }

    /// The parsed address, or nil when `text` is not a valid IPv4 or IPv6
    /// literal (service names such as `ec2.amazonaws.com` included).
    public init?(_ text: String) {
        // The longest valid literal is an IPv6 address ending in a dotted
        // quad, such as ffff:ffff:ffff:ffff:ffff:ffff:255.255.255.255 (45).
        guard !text.isEmpty, text.utf8.count <= 45 else { return nil }

        let bytes = Array(text.utf8)
        if bytes.contains(ASCII.colon) {
            guard let value = Self.parseIPv6(bytes[...]) else { return nil }
            self.init(value: value)
        } else {
            guard let value = Self.parseIPv4(bytes[...]) else { return nil }
            self.init(ipv4: value)
        }
    }

    /// Whether this is an IPv4 address, written either way.
    public var isIPv4: Bool {
        value >> 32 == 0xffff
    }

    /// The anomaly signal's network key: the /24 of an IPv4 address or the
    /// /48 of an IPv6 address, in CIDR notation.
    public var networkKey: String {
        if isIPv4 {
            return CIDRBlock(network: self, prefixLength: 96 + 24).description
        }
        return CIDRBlock(network: self, prefixLength: 48).description
    }

    public static func < (lhs: IPAddress, rhs: IPAddress) -> Bool {
        lhs.value < rhs.value
    }
}

extension IPAddress: CustomStringConvertible {
    /// The address in its canonical text form: a dotted quad for IPv4 and the
    /// RFC 5952 form for IPv6 (lowercase, no leading zeros, the longest run
    /// of two or more zero groups shortened to `::`).
    public var description: String {
        if isIPv4 {
            return Self.formatIPv4(UInt32(truncatingIfNeeded: value))
        }
        return Self.formatIPv6(value)
    }
}

// MARK: - Parsing

extension IPAddress {
    /// Parses a dotted quad: four decimal parts of one to three digits, each
    /// at most 255, and a part of several digits must not start with 0.
    static func parseIPv4(_ bytes: ArraySlice<UInt8>) -> UInt32? {
        let parts = bytes.split(separator: ASCII.dot, omittingEmptySubsequences: false)
        guard parts.count == 4 else { return nil }

        var result: UInt32 = 0
        for part in parts {
            guard let octet = parseOctet(part) else { return nil }
            result = result << 8 | UInt32(octet)
        }
        return result
    }

    private static func parseOctet(_ digits: ArraySlice<UInt8>) -> UInt8? {
        guard (1...3).contains(digits.count), digits.allSatisfy(ASCII.isDigit) else { return nil }
        if digits.count > 1 && digits.first == ASCII.zero { return nil }

        var value = 0
        for digit in digits {
            value = value * 10 + Int(digit - ASCII.zero)
        }
        return value <= 255 ? UInt8(value) : nil
    }

    /// Parses the RFC 4291 text forms: eight groups of one to four hex
    /// digits, at most one `::` standing for one or more zero groups, and an
    /// optional dotted quad in place of the last two groups.
    static func parseIPv6(_ bytes: ArraySlice<UInt8>) -> UInt128? {
        let head: ArraySlice<UInt8>
        let tail: ArraySlice<UInt8>?
        if let gap = firstDoubleColon(in: bytes) {
            head = bytes[..<gap]
            tail = bytes[(gap + 2)...]
        } else {
            head = bytes
            tail = nil
        }

        // Only the group written last may be a dotted quad.
        guard let headGroups = parseGroups(head, allowsTrailingIPv4: tail == nil) else { return nil }
        guard let tail else {
            return headGroups.count == 8 ? combine(headGroups) : nil
        }
        guard let tailGroups = parseGroups(tail, allowsTrailingIPv4: true) else { return nil }

        let zeroCount = 8 - headGroups.count - tailGroups.count
        guard zeroCount >= 1 else { return nil }
        return combine(headGroups + Array(repeating: 0, count: zeroCount) + tailGroups)
    }

    private static func firstDoubleColon(in bytes: ArraySlice<UInt8>) -> Int? {
        var index = bytes.startIndex
        while index + 1 < bytes.endIndex {
            if bytes[index] == ASCII.colon && bytes[index + 1] == ASCII.colon { return index }
            index += 1
        }
        return nil
    }

    /// Parses colon-separated groups. An empty input has no groups, but an
    /// empty group (a stray `:`, or a second `::`) is invalid.
    private static func parseGroups(_ bytes: ArraySlice<UInt8>, allowsTrailingIPv4: Bool) -> [UInt16]? {
        guard !bytes.isEmpty else { return [] }

        let fields = bytes.split(separator: ASCII.colon, omittingEmptySubsequences: false)
        var groups: [UInt16] = []
        for (position, field) in fields.enumerated() {
            let isLast = position == fields.count - 1
            if isLast && allowsTrailingIPv4 && field.contains(ASCII.dot) {
                guard let ipv4 = parseIPv4(field) else { return nil }
                groups.append(UInt16(ipv4 >> 16))
                groups.append(UInt16(ipv4 & 0xffff))
            } else {
                guard let group = parseHexGroup(field) else { return nil }
                groups.append(group)
            }
        }
        return groups
    }

    private static func parseHexGroup(_ digits: ArraySlice<UInt8>) -> UInt16? {
        guard (1...4).contains(digits.count) else { return nil }

        var value: UInt16 = 0
        for digit in digits {
            guard let digitValue = ASCII.hexDigitValue(digit) else { return nil }
            value = value << 4 | digitValue
        }
        return value
    }

    private static func combine(_ groups: [UInt16]) -> UInt128 {
        groups.reduce(0) { result, group in result << 16 | UInt128(group) }
    }
}

// MARK: - Formatting

extension IPAddress {
    static func formatIPv4(_ value: UInt32) -> String {
        let octets = [value >> 24, value >> 16 & 0xff, value >> 8 & 0xff, value & 0xff]
        return octets.map(String.init).joined(separator: ".")
    }

    static func formatIPv6(_ value: UInt128) -> String {
        let groups = (0..<8).map { index in UInt16(truncatingIfNeeded: value >> (112 - 16 * index)) }
        let texts = groups.map { String($0, radix: 16) }

        guard let run = longestZeroRun(in: groups), run.count >= 2 else {
            return texts.joined(separator: ":")
        }
        let before = texts[..<run.lowerBound].joined(separator: ":")
        let after = texts[run.upperBound...].joined(separator: ":")
        return before + "::" + after
    }

    /// Returns the first of the longest runs of zero groups, or nil when no
    /// group is 0.
    private static func longestZeroRun(in groups: [UInt16]) -> Range<Int>? {
        var best: Range<Int>?
        var start: Int?
        for index in 0...groups.count {
            let isZero = index < groups.count && groups[index] == 0
            if isZero {
                start = start ?? index
            } else if let runStart = start {
                if (runStart..<index).count > (best?.count ?? 0) {
                    best = runStart..<index
                }
                start = nil
            }
        }
        return best
    }
}
