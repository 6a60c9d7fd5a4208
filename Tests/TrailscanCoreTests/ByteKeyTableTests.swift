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
