import Testing

@testable import TrailscanCore

@Suite("CIDRBlock and CIDRSet")
struct ScoringCIDRTests {
    @Test(
        "block parses to its canonical form",
        arguments: [
            ("203.0.113.0/24", "203.0.113.0/24", 24),
            ("10.1.2.3/8", "10.0.0.0/8", 8),
            ("1.2.3.4/32", "1.2.3.4/32", 32),
            ("0.0.0.0/0", "0.0.0.0/0", 0),
            ("2001:db8::/32", "2001:db8::/32", 32),
            ("2001:db8:abcd::1/32", "2001:db8::/32", 32),
            ("2001:DB8:1::/48", "2001:db8:1::/48", 48),
            ("::1/128", "::1/128", 128),
            ("::/0", "::/0", 0),
            ("::ffff:10.0.0.0/104", "10.0.0.0/8", 8),
        ])
    func parses(text: String, expected: String, prefixLength: Int) throws {
        let block = try #require(CIDRBlock(text))
        #expect(block.description == expected)
        #expect(block.prefixLength == prefixLength)
    }

    @Test(
        "invalid block is rejected",
        arguments: [
            "10.0.0.0/33", "2001:db8::/129", "10.0.0.0", "10.0.0.0/", "10.0.0.0/08", "10.0.0.0/-1", "10.0.0.0/+8",
            "10.0.0.0/8/8", "/8", "10.0.0.07/8", "example.com/24", "10.0.0.0/ 8", "10.0.0.0/1000", "", "2001:db8::",
        ])
    func rejects(text: String) {
        #expect(CIDRBlock(text) == nil)
    }

    @Test(
        "block contains its range only",
        arguments: [
            ("203.0.113.0/24", "203.0.113.0", true),
            ("203.0.113.0/24", "203.0.113.255", true),
            ("203.0.113.0/24", "203.0.114.0", false),
            ("203.0.113.0/24", "203.0.112.255", false),
            ("172.16.0.0/12", "172.31.255.255", true),
            ("172.16.0.0/12", "172.32.0.0", false),
            ("0.0.0.0/0", "255.255.255.255", true),
            ("0.0.0.0/0", "2001:db8::1", false),
            ("2001:db8::/32", "2001:db8:ffff::1", true),
            ("2001:db8::/32", "2001:db9::", false),
            ("fe80::/10", "febf::1", true),
            ("fe80::/10", "fec0::1", false),
            ("10.0.0.0/8", "::ffff:10.9.8.7", true),
        ])
    func contains(block text: String, address: String, expected: Bool) throws {
        let block = try #require(CIDRBlock(text))
        let address = try #require(IPAddress(address))
        #expect(block.contains(address) == expected)
    }

    @Test("set keeps only outermost blocks")
    func outermostBlocks() throws {
        let set = CIDRSet(try ["192.168.0.0/16", "10.1.0.0/16", "10.0.0.0/8", "10.1.2.0/24", "10.0.0.0/16"].map(block))
        #expect(set.blocks.map(\.description) == ["10.0.0.0/8", "192.168.0.0/16"])
    }

    @Test(
        "set returns the widest containing block",
        arguments: [
            ("10.1.2.3", "10.0.0.0/8"),
            ("10.255.255.255", "10.0.0.0/8"),
            ("11.0.0.0", nil),
            ("9.255.255.255", nil),
            ("192.168.0.0", "192.168.0.0/16"),
            ("192.169.0.0", nil),
            ("2001:db8::1", "2001:db8::/32"),
            ("::1", nil),
        ] as [(String, String?)])
    func widestBlock(address: String, expected: String?) throws {
        let set = CIDRSet(try ["10.1.0.0/16", "10.0.0.0/8", "192.168.0.0/16", "2001:db8::/32"].map(block))
        let address = try #require(IPAddress(address))
        #expect(set.block(containing: address)?.description == expected)
    }

    @Test("empty set contains nothing")
    func emptySet() throws {
        let set = CIDRSet([])
        #expect(set.isEmpty)
        #expect(!set.contains(try #require(IPAddress("10.0.0.1"))))
    }

    @Test("large set agrees with a linear scan")
    func largeSet() throws {
        // Five thousand blocks of assorted sizes from a fixed pseudo-random
        // sequence, checked against a plain scan of every block.
        var generator = SplitMix64(seed: 42)
        var blocks: [CIDRBlock] = []
        for _ in 0..<5000 {
            let address = IPAddress(ipv4: UInt32(truncatingIfNeeded: generator.next()))
            let prefixLength = 16 + Int(generator.next() % 17)
            blocks.append(try #require(CIDRBlock("\(address)/\(prefixLength)")))
        }
        let set = CIDRSet(blocks)

        // Probe both sides of the first and last address of some blocks,
        // where an off-by-one in the search would show, and random addresses.
        var probes: [UInt128] = []
        for block in blocks.prefix(300) {
            probes += [block.lowerBound &- 1, block.lowerBound, block.upperBound, block.upperBound &+ 1]
        }
        for _ in 0..<1000 {
            probes.append(IPAddress(ipv4: UInt32(truncatingIfNeeded: generator.next())).value)
        }

        var mismatches = 0
        var hits = 0
        for value in probes {
            let address = IPAddress(value: value)
            let expected = blocks.contains { $0.contains(address) }
            if set.contains(address) != expected { mismatches += 1 }
            if expected { hits += 1 }
        }
        #expect(hits >= 600)
        #expect(hits < probes.count)
        #expect(mismatches == 0)
    }

    private func block(_ text: String) throws -> CIDRBlock {
        try #require(CIDRBlock(text))
    }
}

/// A small deterministic generator (SplitMix64), so the large-set test checks
/// the same addresses on every run.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64

    init(seed: UInt64) {
        state = seed
    }

    mutating func next() -> UInt64 {
        state &+= 0x9e37_79b9_7f4a_7c15
        var mixed = state
        mixed = (mixed ^ (mixed >> 30)) &* 0xbf58_476d_1ce4_e5b9
        mixed = (mixed ^ (mixed >> 27)) &* 0x94d0_49bb_1331_11eb
        return mixed ^ (mixed >> 31)
    }
}
