/// An IPv4 or IPv6 address as a 128-bit number, parsed from its text form.
///
/// IPv4 addresses keep their own family: `10.0.0.1` and `::ffff:10.0.0.1` are
/// different addresses here, and an IPv4 block never contains an IPv6 address.
struct IPAddress: Hashable, Sendable {
    var isIPv6: Bool
    var high: UInt64
    var low: UInt64

    /// The number of bits in an address of this family.
    var bitWidth: Int { isIPv6 ? 128 : 32 }

    /// Parses dotted-quad IPv4 (`192.0.2.1`) or IPv6 with optional `::`
    /// compression and an optional dotted-quad tail (`::ffff:192.0.2.1`).
    /// Hex digits may be in either case. Zone suffixes (`%eth0`) are not
    /// addresses here.
    init?(_ text: some Collection<UInt8>) {
        if let value = IPAddress.parseIPv4(text) {
            self.init(isIPv6: false, high: 0, low: UInt64(value))
        } else if let (high, low) = IPAddress.parseIPv6(text) {
            self.init(isIPv6: true, high: high, low: low)
        } else {
            return nil
        }
    }

    init(isIPv6: Bool, high: UInt64, low: UInt64) {
        self.isIPv6 = isIPv6
        self.high = high
        self.low = low
    }

    /// This address with every bit after the first `prefixLength` bits cleared.
    func masked(toPrefixLength prefixLength: Int) -> IPAddress {
        guard isIPv6 else {
            let mask: UInt64 = prefixLength == 0 ? 0 : (0xFFFF_FFFF << UInt64(32 - prefixLength)) & 0xFFFF_FFFF
            return IPAddress(isIPv6: false, high: 0, low: low & mask)
        }
        let highMask = IPAddress.leadingOnes(min(prefixLength, 64))
        let lowMask = IPAddress.leadingOnes(max(prefixLength - 64, 0))
        return IPAddress(isIPv6: true, high: high & highMask, low: low & lowMask)
    }

    private static func leadingOnes(_ count: Int) -> UInt64 {
        count == 0 ? 0 : ~UInt64(0) << UInt64(64 - count)
    }

    private static func parseIPv4(_ text: some Collection<UInt8>) -> UInt32? {
        var value: UInt32 = 0
        var part: UInt32 = 0
        var digits = 0
        var dots = 0
        for byte in text {
            if byte == UInt8(ascii: ".") {
                guard digits > 0, dots < 3 else { return nil }
                value = value << 8 | part
                dots += 1
                part = 0
                digits = 0
            } else if byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") {
                part = part * 10 + UInt32(byte - UInt8(ascii: "0"))
                digits += 1
                guard digits <= 3, part <= 255 else { return nil }
            } else {
                return nil
            }
        }
        guard dots == 3, digits > 0 else { return nil }
        return value << 8 | part
    }

    /// Parses IPv6 text into its high and low 64 bits.
    private static func parseIPv6(_ text: some Collection<UInt8>) -> (UInt64, UInt64)? {
        // Most values tested against a CIDR block are IPv4 addresses or AWS
        // service names, which are rejected here without a copy.
        guard text.count >= 2, text.count <= 45, text.contains(UInt8(ascii: ":")) else { return nil }
        return text.withContiguousStorageIfAvailable(parseIPv6(bytes:))
            ?? Array(text).withUnsafeBufferPointer(parseIPv6(bytes:))
    }

    /// Parses IPv6 text of at least two bytes. The groups are shifted into
    /// one 128-bit value as they come, and the zeros of a `::` gap are put
    /// in at the end.
    private static func parseIPv6(bytes: UnsafeBufferPointer<UInt8>) -> (UInt64, UInt64)? {
        var value: UInt128 = 0
        var groupCount = 0
        var gapIndex: Int? = nil
        var index = 0
        if bytes[0] == UInt8(ascii: ":") {
            guard bytes[1] == UInt8(ascii: ":") else { return nil }
            gapIndex = 0
            index = 2
        }

        while index < bytes.count {
            var end = index
            while end < bytes.count && bytes[end] != UInt8(ascii: ":") { end += 1 }
            let field = UnsafeBufferPointer(rebasing: bytes[index..<end])

            if field.contains(UInt8(ascii: ".")) {
                // A dotted-quad tail fills the last two groups.
                guard end == bytes.count, groupCount <= 6, let tail = parseIPv4(field) else { return nil }
                value = value << 32 | UInt128(tail)
                groupCount += 2
                break
            }
            guard groupCount < 8, let group = parseHexGroup(field) else { return nil }
            value = value << 16 | UInt128(group)
            groupCount += 1

            if end == bytes.count {
                index = end
            } else if end + 1 < bytes.count && bytes[end + 1] == UInt8(ascii: ":") {
                guard gapIndex == nil else { return nil }
                gapIndex = groupCount
                index = end + 2
            } else {
                guard end + 1 < bytes.count else { return nil }
                index = end + 1
            }
        }

        if let gapIndex {
            guard groupCount < 8 else { return nil }
            // The groups after the gap stay at the bottom, and those before
            // it move to the top.
            let tailBits = 16 * (groupCount - gapIndex)
            let tail = tailBits == 0 ? 0 : value & (UInt128.max >> (128 - tailBits))
            let head = value >> tailBits
            value = (gapIndex == 0 ? 0 : head << (128 - 16 * gapIndex)) | tail
        } else {
            guard groupCount == 8 else { return nil }
        }
        return (UInt64(truncatingIfNeeded: value >> 64), UInt64(truncatingIfNeeded: value))
    }

    private static func parseHexGroup(_ field: UnsafeBufferPointer<UInt8>) -> UInt16? {
        guard !field.isEmpty, field.count <= 4 else { return nil }
        var value: UInt16 = 0
        for byte in field {
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
            default: return nil
            }
            value = value << 4 | UInt16(digit)
        }
        return value
    }
}

/// An IPv4 or IPv6 address block such as `10.0.0.0/8`.
///
/// Host bits in the base address are allowed and ignored, as in EventBridge:
/// `220.160.154.255/24` covers `220.160.154.0` to `220.160.154.255`.
struct CIDRBlock: Hashable, Sendable {
    var network: IPAddress
    var prefixLength: Int

    /// The reason a block text is invalid.
    enum ParseError: Error {
        case malformed
        /// `/32` for IPv4 or `/128` for IPv6, which EventBridge rejects.
        case singleAddress(IPAddress)
    }

    init(parsing text: String) throws(ParseError) {
        let bytes = Array(text.utf8)
        guard let slash = bytes.firstIndex(of: UInt8(ascii: "/")),
            let address = IPAddress(bytes[..<slash])
        else { throw .malformed }

        let lengthText = bytes[(slash + 1)...]
        guard !lengthText.isEmpty, lengthText.count <= 3,
            lengthText.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") })
        else { throw .malformed }
        let length = lengthText.reduce(0) { $0 * 10 + Int($1 - UInt8(ascii: "0")) }
        guard length <= address.bitWidth else { throw .malformed }
        guard length < address.bitWidth else { throw .singleAddress(address) }

        self.network = address.masked(toPrefixLength: length)
        self.prefixLength = length
    }

    func contains(_ address: IPAddress) -> Bool {
        address.isIPv6 == network.isIPv6 && address.masked(toPrefixLength: prefixLength) == network
    }
}
