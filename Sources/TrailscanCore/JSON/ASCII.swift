/// Named bytes for the JSON scanners and the address parsers.
enum ASCII {
    static let quote = UInt8(ascii: "\"")
    static let backslash = UInt8(ascii: "\\")
    static let openBrace = UInt8(ascii: "{")
    static let closeBrace = UInt8(ascii: "}")
    static let openBracket = UInt8(ascii: "[")
    static let closeBracket = UInt8(ascii: "]")
    static let colon = UInt8(ascii: ":")
    static let comma = UInt8(ascii: ",")
    static let space = UInt8(ascii: " ")
    static let tab = UInt8(ascii: "\t")
    static let newline = UInt8(ascii: "\n")
    static let carriageReturn = UInt8(ascii: "\r")
    static let dot = UInt8(ascii: ".")
    static let minus = UInt8(ascii: "-")
    static let zero = UInt8(ascii: "0")
    static let nine = UInt8(ascii: "9")
    static let slash = UInt8(ascii: "/")
    static let lowercaseA = UInt8(ascii: "a")
    static let lowercaseF = UInt8(ascii: "f")
    static let uppercaseA = UInt8(ascii: "A")
    static let uppercaseF = UInt8(ascii: "F")

    @inline(__always)
    static func isWhitespace(_ byte: UInt8) -> Bool {
        byte == space || byte == newline || byte == carriageReturn || byte == tab
    }

    static func isDigit(_ byte: UInt8) -> Bool {
        byte >= zero && byte <= nine
    }

    /// Returns the value of a hexadecimal digit, or nil for any other byte.
    static func hexDigitValue(_ byte: UInt8) -> UInt16? {
        switch byte {
        case zero...nine: UInt16(byte - zero)
        case lowercaseA...lowercaseF: UInt16(byte - lowercaseA + 10)
        case uppercaseA...uppercaseF: UInt16(byte - uppercaseA + 10)
        default: nil
        }
    }
}
