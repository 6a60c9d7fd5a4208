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
        var text = text
        guard let address = text.withUTF8({ Self(bytes: $0) }) else { return nil }
        self = address
    }

    /// Creates the address written in `bytes` (UTF-8), or returns nil when
    /// they are not a valid IPv4 or IPv6 literal.
    init?(bytes: UnsafeBufferPointer<UInt8>) {
        // The longest valid literal is an IPv6 address ending in a dotted
        // quad, such as ffff:ffff:ffff:ffff:ffff:ffff:255.255.255.255 (45).
        guard !bytes.isEmpty, bytes.count <= 45 else { return nil }
        if bytes.contains(ASCII.colon) {
            guard let value = Self.parseIPv6(bytes) else { return nil }
            self.init(value: value)
        } else {
            guard let value = Self.parseIPv4(bytes, from: 0, to: bytes.count) else { return nil }
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

// The parsers read the bytes in place, one pass each, because the baseline
// tracker parses the source address of every record written with colons.
extension IPAddress {
    /// Parses the dotted quad in `bytes[start..<end]`: four decimal parts of
    /// one to three digits, each at most 255, and a part of several digits
    /// must not start with 0.
    static func parseIPv4(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int, to end: Int) -> UInt32? {
        var result: UInt32 = 0
        var parts = 0
        var position = start
        while true {
            let partStart = position
            var value: UInt32 = 0
            while position < end, position - partStart < 4, ASCII.isDigit(bytes[position]) {
                value = value * 10 + UInt32(bytes[position] - ASCII.zero)
                position += 1
            }
            let digits = position - partStart
            guard (1...3).contains(digits), value <= 255, digits == 1 || bytes[partStart] != ASCII.zero else { return nil }
            result = result << 8 | value
            parts += 1
            if parts == 4 { return position == end ? result : nil }
            guard position < end, bytes[position] == ASCII.dot else { return nil }
            position += 1
        }
    }

    /// Parses the RFC 4291 text forms: eight groups of one to four hex
    /// digits, at most one `::` standing for one or more zero groups, and an
    /// optional dotted quad in place of the last two groups.
    static func parseIPv6(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt128? {
        var gap: Int?
        var index = 0
        while index + 1 < bytes.count {
            if bytes[index] == ASCII.colon && bytes[index + 1] == ASCII.colon {
                gap = index
                break
            }
            index += 1
        }
        guard let gap else {
            // Only the group written last may be a dotted quad.
            guard let head = parseGroups(bytes, from: 0, to: bytes.count, allowsTrailingIPv4: true), head.count == 8
            else { return nil }
            return head.value
        }
        guard let head = parseGroups(bytes, from: 0, to: gap, allowsTrailingIPv4: false),
              let tail = parseGroups(bytes, from: gap + 2, to: bytes.count, allowsTrailingIPv4: true)
        else { return nil }
        let zeroCount = 8 - head.count - tail.count
        guard zeroCount >= 1 else { return nil }
        return head.value << (16 * (8 - head.count)) | tail.value
    }

    /// Parses the colon-separated groups in `bytes[start..<end]` into their
    /// value (the last group lowest) and their count. An empty range has no
    /// groups, but an empty group (a stray `:`, or a second `::`) is
    /// invalid, and so are more than eight groups.
    private static func parseGroups(
        _ bytes: UnsafeBufferPointer<UInt8>, from start: Int, to end: Int, allowsTrailingIPv4: Bool
    ) -> (value: UInt128, count: Int)? {
        guard start < end else { return (0, 0) }
        var value: UInt128 = 0
        var count = 0
        var position = start
        while true {
            var fieldEnd = position
            while fieldEnd < end && bytes[fieldEnd] != ASCII.colon { fieldEnd += 1 }
            let isLast = fieldEnd == end
            if isLast && allowsTrailingIPv4
                && UnsafeBufferPointer(rebasing: bytes[position..<fieldEnd]).contains(ASCII.dot)
            {
                guard let ipv4 = parseIPv4(bytes, from: position, to: fieldEnd) else { return nil }
                value = value << 32 | UInt128(ipv4)
                count += 2
            } else {
                guard let group = parseHexGroup(bytes, from: position, to: fieldEnd) else { return nil }
                value = value << 16 | UInt128(group)
                count += 1
            }
            guard count <= 8 else { return nil }
            if isLast { return (value, count) }
            position = fieldEnd + 1
        }
    }

    private static func parseHexGroup(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int, to end: Int) -> UInt16? {
        guard (1...4).contains(end - start) else { return nil }
        var value: UInt16 = 0
        for position in start..<end {
            guard let digitValue = ASCII.hexDigitValue(bytes[position]) else { return nil }
            value = value << 4 | digitValue
        }
        return value
    }
}

// MARK: - Formatting

// The baseline tracker formats the network of every new (principal,
// network) pair, so text is written into one stack buffer and becomes one
// string, without a string per octet or group.
extension IPAddress {
    /// The longest text `write(to:)` produces: eight groups of four hex
    /// digits and seven colons.
    static let maximumTextLength = 39

    /// Writes the address's canonical text at the start of `buffer`, which
    /// has room for at least `maximumTextLength` bytes, and returns its length.
    func write(to buffer: UnsafeMutableBufferPointer<UInt8>) -> Int {
        if isIPv4 {
            return Self.writeIPv4(UInt32(truncatingIfNeeded: value), to: buffer)
        }
        return Self.writeIPv6(value, to: buffer)
    }

    static func formatIPv4(_ value: UInt32) -> String {
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: maximumTextLength) { buffer in
            String(decoding: UnsafeBufferPointer(rebasing: buffer[..<writeIPv4(value, to: buffer)]), as: UTF8.self)
        }
    }

    static func formatIPv6(_ value: UInt128) -> String {
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: maximumTextLength) { buffer in
            String(decoding: UnsafeBufferPointer(rebasing: buffer[..<writeIPv6(value, to: buffer)]), as: UTF8.self)
        }
    }

    private static func writeIPv4(_ value: UInt32, to buffer: UnsafeMutableBufferPointer<UInt8>) -> Int {
        var count = 0
        for shift in stride(from: 24, through: 0, by: -8) {
            if shift != 24 {
                buffer[count] = ASCII.dot
                count += 1
            }
            count = writeDecimal(Int(value >> UInt32(shift) & 0xff), to: buffer, at: count)
        }
        return count
    }

    /// Writes the RFC 5952 form: lowercase, no leading zeros, and the
    /// first of the longest runs of two or more zero groups shortened to `::`.
    private static func writeIPv6(_ value: UInt128, to buffer: UnsafeMutableBufferPointer<UInt8>) -> Int {
        var groups: (UInt16, UInt16, UInt16, UInt16, UInt16, UInt16, UInt16, UInt16) = (0, 0, 0, 0, 0, 0, 0, 0)
        return withUnsafeMutableBytes(of: &groups) { raw in
            let groups = raw.bindMemory(to: UInt16.self)
            for index in 0..<8 { groups[index] = UInt16(truncatingIfNeeded: value >> (112 - 16 * index)) }
            let run = longestZeroRun(in: UnsafeBufferPointer(groups))
            var count = 0
            var index = 0
            while index < 8 {
                if let run, index == run.lowerBound {
                    buffer[count] = ASCII.colon
                    buffer[count + 1] = ASCII.colon
                    count += 2
                    index = run.upperBound
                    continue
                }
                if index > 0 && index != run?.upperBound {
                    buffer[count] = ASCII.colon
                    count += 1
                }
                count = writeHex(groups[index], to: buffer, at: count)
                index += 1
            }
            return count
        }
    }

    /// Writes `number` (0 to 999) in decimal at `position`; returns the end.
    static func writeDecimal(_ number: Int, to buffer: UnsafeMutableBufferPointer<UInt8>, at position: Int) -> Int {
        var position = position
        if number >= 100 {
            buffer[position] = ASCII.zero + UInt8(number / 100)
            position += 1
        }
        if number >= 10 {
            buffer[position] = ASCII.zero + UInt8(number / 10 % 10)
            position += 1
        }
        buffer[position] = ASCII.zero + UInt8(number % 10)
        return position + 1
    }

    /// Writes `group` in lowercase hex without leading zeros at `position`;
    /// returns the end.
    private static func writeHex(_ group: UInt16, to buffer: UnsafeMutableBufferPointer<UInt8>, at position: Int) -> Int {
        var position = position
        var started = false
        for shift in stride(from: 12, through: 0, by: -4) {
            let digit = Int(group >> UInt16(shift) & 0xf)
            if digit == 0 && !started && shift != 0 { continue }
            started = true
            buffer[position] = digit < 10 ? ASCII.zero + UInt8(digit) : UInt8(ascii: "a") + UInt8(digit - 10)
            position += 1
        }
        return position
    }

    /// Returns the first of the longest runs of two or more zero groups, or
    /// nil when there is none.
    private static func longestZeroRun(in groups: UnsafeBufferPointer<UInt16>) -> Range<Int>? {
        var best: Range<Int>?
        var start: Int?
        for index in 0...groups.count {
            let isZero = index < groups.count && groups[index] == 0
            if isZero {
                start = start ?? index
            } else if let runStart = start {
                if (runStart..<index).count > (best?.count ?? 1) {
                    best = runStart..<index
                }
                start = nil
            }
        }
        return best
    }
}
