import Testing

@testable import TrailscanCore

@Suite("ByteKeyTable")
struct ByteKeyTableTests {
    private func number(_ text: String, tag: Int32, in table: inout ByteKeyTable) -> (Int, Bool) {
        Array(text.utf8).withUnsafeBufferPointer { table.number(of: $0, tag: tag) }
    }

    @Test("numbers keys in insertion order and finds them again after growing")
    func numbering() {
        var table = ByteKeyTable()
        // Empty keys, keys shorter and longer than a word, and 2,000 keys in
        // all, so the slot array grows several times.
        let texts = [""] + (0..<1_999).map { "arn:aws:iam::123456789012:user/user-\($0)" + String(repeating: "x", count: $0 % 11) }
        for (index, text) in texts.enumerated() {
            let (number, isNew) = number(text, tag: 7, in: &table)
            #expect(number == index)
            #expect(isNew)
        }
        #expect(table.count == 2_000)
        for (index, text) in texts.enumerated() {
            let (number, isNew) = number(text, tag: 7, in: &table)
            #expect(number == index)
            #expect(!isNew)
        }
    }

    @Test("the same bytes under another tag are another key")
    func tags() {
        var table = ByteKeyTable()
        #expect(number("us-east-1", tag: 1, in: &table) == (0, true))
        #expect(number("us-east-1", tag: 2, in: &table) == (1, true))
        #expect(number("", tag: 1, in: &table) == (2, true))
        #expect(number("", tag: 2, in: &table) == (3, true))
        #expect(number("us-east-1", tag: 1, in: &table) == (0, false))
        #expect(number("", tag: 2, in: &table) == (3, false))
        // Same length, one byte apart, at the start, in a full word and in the tail.
        #expect(number("Us-east-1", tag: 1, in: &table) == (4, true))
        #expect(number("us-eaSt-1", tag: 1, in: &table) == (5, true))
        #expect(number("us-east-2", tag: 1, in: &table) == (6, true))
    }

    @Test("keys one byte apart stay apart")
    func oneByteApart() {
        var table = ByteKeyTable()
        var expected: [[UInt8]: Int] = [:]
        for length in 0...40 {
            let base = (0..<length).map { UInt8(ascii: "a") + UInt8($0 % 26) }
            var variants = [base]
            for position in 0..<length {
                var changed = base
                changed[position] = UInt8(ascii: "#")
                variants.append(changed)
            }
            for key in variants {
                let (number, isNew) = key.withUnsafeBufferPointer { table.number(of: $0, tag: 3) }
                #expect(isNew, "length \(length)")
                expected[key] = number
            }
        }
        #expect(table.count == expected.count)
        for (key, number) in expected {
            #expect(key.withUnsafeBufferPointer { table.number(of: $0, tag: 3) } == (number, false))
        }
    }
}

@Suite("ByteKeyTable values")
struct ByteKeyTableValueTests {
    @Test("attachments and earliest times stay with their key as the table grows")
    func attachmentsAndTimes() {
        var table = ByteKeyTable()
        let texts = (0..<3_000).map { "eventName-\($0)" }
        var accepted = false
        for (index, text) in texts.enumerated() {
            let (number, isNew) = Array(text.utf8).withUnsafeBufferPointer { table.number(of: $0, tag: 1) }
            #expect(isNew)
            #expect(table.attachment(of: number) == -1)
            table.attach(Int32(index * 2), to: number)
            accepted = table.lower(number, to: Int64(1_000 + index))
            #expect(accepted)
        }
        for (index, text) in texts.enumerated() {
            let (number, isNew) = Array(text.utf8).withUnsafeBufferPointer { table.number(of: $0, tag: 1) }
            #expect(!isNew)
            #expect(table.attachment(of: number) == Int32(index * 2))
            // Later is refused; the same time and earlier times are accepted.
            accepted = table.lower(number, to: Int64(1_001 + index))
            #expect(!accepted)
            accepted = table.lower(number, to: Int64(1_000 + index))
            #expect(accepted)
            accepted = table.lower(number, to: Int64(999 + index))
            #expect(accepted)
            accepted = table.lower(number, to: Int64(1_000 + index))
            #expect(!accepted)
        }
    }
}

@Suite("NetworkKeyTable")
struct NetworkKeyTableTests {
    private func network(_ text: String) throws -> UInt64 {
        NetworkKeyTable.network(of: try #require(IPAddress(text)))
    }

    @Test("addresses of one /24 or /48 share a network, written either way")
    func packing() throws {
        #expect(try network("198.51.100.7") == network("198.51.100.255"))
        #expect(try network("198.51.100.7") == network("::ffff:198.51.100.9"))
        #expect(try network("198.51.100.7") == 1 << 63 | 0xc6_3364)
        #expect(try network("198.51.100.7") != network("198.51.101.7"))
        #expect(try network("2001:db8:1::1") == network("2001:db8:1:ffff:ffff:ffff:ffff:ffff"))
        #expect(try network("2001:db8:1::1") == 0x2001_0db8_0001)
        #expect(try network("2001:db8:1::1") != network("2001:db8:2::1"))
        // An IPv6 address whose top 48 bits are 0 and the IPv4 network 0.0.0.0/24.
        #expect(try network("::1") == 0)
        #expect(try network("0.0.0.1") == 1 << 63)
    }

    @Test("keys are numbered per principal and network and survive growth")
    func slots() {
        var table = NetworkKeyTable()
        // 5,000 keys: the 1,024 slots double three times.
        var keys: [(principal: Int, network: UInt64)] = []
        for principal in 0..<5 {
            for index in 0..<1_000 {
                keys.append((principal, UInt64(index) << 8 | (principal == 4 ? 1 << 63 : 0)))
            }
        }
        var accepted = false
        for (index, key) in keys.enumerated() {
            let (slot, isNew) = table.slot(principal: key.principal, network: key.network)
            #expect(isNew)
            #expect(table.attachment(of: slot) == -1)
            table.attach(Int32(index), to: slot)
            accepted = table.lower(slot, to: 50)
            #expect(accepted)
        }
        #expect(table.count == keys.count)
        for (index, key) in keys.enumerated() {
            let (slot, isNew) = table.slot(principal: key.principal, network: key.network)
            #expect(!isNew)
            #expect(table.attachment(of: slot) == Int32(index))
            accepted = table.lower(slot, to: 51)
            #expect(!accepted)
            accepted = table.lower(slot, to: 50)
            #expect(accepted)
        }
        #expect(table.count == keys.count)
    }
}
