/// Decodes the escapes of a JSON string's contents (the bytes between the
/// quotes) into UTF-8.
enum JSONStringDecoder {
    /// Appends the decoded form of `contents` to `output`. Invalid escapes are
    /// copied as they are and a lone surrogate becomes U+FFFD, because the
    /// field scanner has already accepted the record.
    static func decode(_ contents: UnsafeBufferPointer<UInt8>, into output: inout [UInt8]) {
        var index = 0
        while index < contents.count {
            let byte = contents[index]
            guard byte == ASCII.backslash, index + 1 < contents.count else {
                output.append(byte)
                index += 1
                continue
            }
            let escape = contents[index + 1]
            index += 2
            switch escape {
            case UInt8(ascii: "n"): output.append(0x0A)
            case UInt8(ascii: "t"): output.append(0x09)
            case UInt8(ascii: "r"): output.append(0x0D)
            case UInt8(ascii: "b"): output.append(0x08)
            case UInt8(ascii: "f"): output.append(0x0C)
            case UInt8(ascii: "u"):
                var scalar = hexQuad(contents, at: index) ?? 0xFFFD
                index += 4
                if (0xD800..<0xDC00).contains(scalar), index + 6 <= contents.count,
                   contents[index] == ASCII.backslash, contents[index + 1] == UInt8(ascii: "u"),
                   let low = hexQuad(contents, at: index + 2), (0xDC00..<0xE000).contains(low) {
                    scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                    index += 6
                }
                let character = Unicode.Scalar(scalar) ?? "\u{FFFD}"
                output.append(contentsOf: String(character).utf8)
            default: output.append(escape)
            }
        }
    }

    private static func hexQuad(_ bytes: UnsafeBufferPointer<UInt8>, at index: Int) -> UInt32? {
        guard index + 4 <= bytes.count else { return nil }
        var value: UInt32 = 0
        for offset in 0..<4 {
            let byte = bytes[index + offset]
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
            default: return nil
            }
            value = value << 4 | UInt32(digit)
        }
        return value
    }
}
