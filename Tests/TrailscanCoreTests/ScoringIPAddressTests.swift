import Testing

@testable import TrailscanCore

@Suite("IPAddress")
struct ScoringIPAddressTests {
    @Test(
        "valid IPv4 keeps its text",
        arguments: ["203.0.113.7", "0.0.0.0", "255.255.255.255", "10.0.0.1", "1.2.3.4", "100.64.0.10"])
    func validIPv4(text: String) throws {
        let address = try #require(IPAddress(text))
        #expect(address.isIPv4)
        #expect(address.description == text)
    }

    @Test(
        "invalid text is not an address",
        arguments: [
            // Stratus pseudonymisation output: leading zeros, out of range.
            "253.252.51.07", "035.1.1.1", "255.18.064.253", "172.01.01.001", "205.205.123.000", "256.1.1.1",
            // Service names and empty values that CloudTrail puts in sourceIPAddress.
            "ec2.amazonaws.com", "AWS Internal", "internal.amazonaws.com", "",
            // Malformed quads.
            "1.2.3", "1.2.3.4.5", "1..2.3", "+1.2.3.4", " 1.2.3.4", "1.2.3.4 ", "1.2.3.4/32", "0x1.2.3.4", "1.2.3.",
            // Malformed IPv6.
            "fe80::1%eth0", "1:2:3:4:5:6:7:8:9", "1:2:3:4:5:6:7", "1::2::3", ":1::", "1:::2", ":::", "12345::",
            "g::1", "::ffff:1.2.3.04", "1:2:3:4:5:6:7:1.2.3.4", "1.2.3.4::", "::1.2.3", "[::1]", ":",
            "1:2:3:4:5:6:7:8::",
        ])
    func invalid(text: String) {
        #expect(IPAddress(text) == nil)
    }

    @Test(
        "IPv6 prints in RFC 5952 form",
        arguments: [
            ("2001:DB8:0:0:0:0:0:1", "2001:db8::1"),
            ("2001:0db8:0000:0000:0000:ff00:0042:8329", "2001:db8::ff00:42:8329"),
            ("2001:db8:0:0:1:0:0:1", "2001:db8::1:0:0:1"),
            ("2001:db8:0:1:0:0:0:1", "2001:db8:0:1::1"),
            ("::", "::"),
            ("::1", "::1"),
            ("1::", "1::"),
            ("1:0:2:3:4:5:6:7", "1:0:2:3:4:5:6:7"),
            ("1:2:3:4:5:6:7::", "1:2:3:4:5:6:7:0"),
            ("::2:3:4:5:6:7:8", "0:2:3:4:5:6:7:8"),
            ("64:ff9b::192.0.2.33", "64:ff9b::c000:221"),
            ("fe80::1:2", "fe80::1:2"),
        ])
    func canonicalIPv6(text: String, expected: String) throws {
        let address = try #require(IPAddress(text))
        #expect(!address.isIPv4)
        #expect(address.description == expected)
    }

    @Test("IPv4-mapped IPv6 is the IPv4 address", arguments: ["::ffff:10.0.0.1", "::FFFF:a00:1", "0:0:0:0:0:ffff:10.0.0.1"])
    func mappedIPv4(text: String) throws {
        let mapped = try #require(IPAddress(text))
        let plain = try #require(IPAddress("10.0.0.1"))
        #expect(mapped == plain)
        #expect(mapped.isIPv4)
        #expect(mapped.description == "10.0.0.1")
    }

    @Test("IPv4 value layout")
    func ipv4Value() throws {
        let address = try #require(IPAddress("192.0.2.1"))
        #expect(address.value == 0xffff_c000_0201)
        #expect(address == IPAddress(ipv4: 0xc000_0201))
    }

    @Test(
        "network key is the /24 or /48",
        arguments: [
            ("203.0.113.7", "203.0.113.0/24"),
            ("10.255.255.255", "10.255.255.0/24"),
            ("::ffff:198.51.100.9", "198.51.100.0/24"),
            ("2001:db8:1:2::5", "2001:db8:1::/48"),
            ("2001:db8::1", "2001:db8::/48"),
            ("2001:db8:ffff:ffff:ffff:ffff:ffff:ffff", "2001:db8:ffff::/48"),
        ])
    func networkKey(text: String, expected: String) throws {
        let address = try #require(IPAddress(text))
        #expect(address.networkKey == expected)
    }

    /// Formats an address as the text form requires, one group at a time
    /// with strings: the reference for the buffer writer.
    private func referenceText(_ value: UInt128) -> String {
        if value >> 32 == 0xffff {
            return (0..<4).map { String(UInt8(truncatingIfNeeded: value >> (24 - 8 * $0))) }.joined(separator: ".")
        }
        let groups = (0..<8).map { UInt16(truncatingIfNeeded: value >> (112 - 16 * $0)) }
        var best: Range<Int>?
        var index = 0
        while index < 8 {
            guard groups[index] == 0 else {
                index += 1
                continue
            }
            let start = index
            while index < 8 && groups[index] == 0 { index += 1 }
            if index - start >= 2 && index - start > (best?.count ?? 0) { best = start..<index }
        }
        let texts = groups.map { String($0, radix: 16) }
        guard let best else { return texts.joined(separator: ":") }
        return texts[..<best.lowerBound].joined(separator: ":") + "::" + texts[best.upperBound...].joined(separator: ":")
    }

    @Test("text matches the reference form")
    func textMatchesReference() throws {
        // Values with many zero groups, in every pattern of eight groups,
        // then random values and IPv4 addresses with 1, 2 and 3 digit parts.
        var values: [UInt128] = []
        for pattern in 0..<256 {
            var value: UInt128 = 0
            for group in 0..<8 where pattern >> group & 1 == 1 {
                value |= UInt128(0x1_0001 &* UInt64(group + 1) & 0xffff) << (16 * group)
            }
            values.append(value)
        }
        // A fixed sequence (SplitMix64), so that a failure repeats.
        var state: UInt64 = 0x5eed
        func next() -> UInt64 {
            state &+= 0x9e37_79b9_7f4a_7c15
            var mixed = state
            mixed = (mixed ^ mixed >> 30) &* 0xbf58_476d_1ce4_e5b9
            mixed = (mixed ^ mixed >> 27) &* 0x94d0_49bb_1331_11eb
            return mixed ^ mixed >> 31
        }
        for _ in 0..<2_000 {
            values.append(UInt128(next()) << 64 | UInt128(next()))
            values.append(IPAddress(ipv4: UInt32(truncatingIfNeeded: next())).value)
        }
        values += [0, 1, UInt128.max, IPAddress(ipv4: 0).value, IPAddress(ipv4: 0x0a00_0a64).value]
        for value in values {
            let address = IPAddress(value: value)
            #expect(address.description == referenceText(value), "value \(String(value, radix: 16))")
            #expect(IPAddress(address.description) == address)
        }
    }
}

