/// An IPv4 or IPv6 network in CIDR notation, such as `203.0.113.0/24` or
/// `2001:db8::/32`.
///
/// The block is the range of 128-bit address values from `lowerBound` to
/// `upperBound`. IPv4 blocks live in the IPv4-mapped range, so an IPv4 /24 is
/// a 128-bit /120. One consequence: an IPv6 block that covers
/// `::ffff:0:0/96`, such as `::/0`, also contains every IPv4 address.
public struct CIDRBlock: Hashable, Sendable {
    /// The first address of the block, with every host bit cleared.
    public let network: IPAddress
    /// The prefix length counted over all 128 bits.
    let bitPrefixLength: Int

    /// Creates the block of `network` with a prefix of `bitPrefixLength` out of 128
    /// bits. Host bits of `network` are cleared.
    init(network: IPAddress, prefixLength bitPrefixLength: Int) {
        precondition((0...128).contains(bitPrefixLength), "prefix length \(bitPrefixLength) is outside 0...128")
        self.network = IPAddress(value: network.value & Self.mask(bitPrefixLength))
        self.bitPrefixLength = bitPrefixLength
    }

    /// Parses a block, or returns nil when `text` is not an IPv4 or IPv6 address
    /// followed by `/` and a prefix length (0–32 for IPv4, 0–128 for IPv6).
    ///
    /// Host bits are allowed and cleared, so `10.1.2.3/8` is `10.0.0.0/8`.
    /// An address without a prefix length is not a block.
    public init?(_ text: String) {
        let parts = text.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false)
        guard parts.count == 2, let address = IPAddress(String(parts[0])) else { return nil }
        guard let length = Self.parsePrefixLength(parts[1]) else { return nil }

        // A dotted quad takes an IPv4 prefix length. An IPv6 literal takes an
        // IPv6 one, even when it is IPv4-mapped (`::ffff:10.0.0.0/104`).
        let isDottedQuad = !parts[0].contains(":")
        let bitLength = isDottedQuad ? 96 + length : length
        guard bitLength <= 128, !isDottedQuad || length <= 32 else { return nil }

        self.init(network: address, prefixLength: bitLength)
    }

    /// Whether this is an IPv4 block: it lies inside `::ffff:0:0/96`.
    public var isIPv4: Bool {
        bitPrefixLength >= 96 && network.isIPv4
    }

    /// The prefix length as written for the block's family: 0–32 for IPv4
    /// and 0–128 for IPv6.
    public var prefixLength: Int {
        isIPv4 ? bitPrefixLength - 96 : bitPrefixLength
    }

    /// The first address value of the block.
    var lowerBound: UInt128 {
        network.value
    }

    /// The last address value of the block.
    var upperBound: UInt128 {
        network.value | ~Self.mask(bitPrefixLength)
    }

    public func contains(_ address: IPAddress) -> Bool {
        address.value & Self.mask(bitPrefixLength) == network.value
    }

    /// Returns the mask that keeps the first `length` of 128 bits.
    static func mask(_ length: Int) -> UInt128 {
        length == 0 ? 0 : ~UInt128(0) << (128 - length)
    }

    /// Parses a decimal prefix length of one to three digits without a
    /// leading zero, so `/08` and `/+8` are rejected.
    private static func parsePrefixLength(_ text: Substring) -> Int? {
        guard (1...3).contains(text.utf8.count), text.utf8.allSatisfy(ASCII.isDigit) else { return nil }
        guard text == "0" || !text.hasPrefix("0") else { return nil }
        return Int(text)
    }
}

extension CIDRBlock: CustomStringConvertible {
    /// The block in canonical CIDR notation, such as `10.0.0.0/8`.
    /// The network and the prefix length, such as `203.0.113.0/24`,
    /// written into one buffer.
    public var description: String {
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: IPAddress.maximumTextLength + 4) { buffer in
            var count = network.write(to: buffer)
            buffer[count] = ASCII.slash
            count = IPAddress.writeDecimal(prefixLength, to: buffer, at: count + 1)
            return String(decoding: UnsafeBufferPointer(rebasing: buffer[..<count]), as: UTF8.self)
        }
    }
}
