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
}
