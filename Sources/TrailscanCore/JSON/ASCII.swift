import CByteScan
import Glibc

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
    static let underscore = UInt8(ascii: "_")
    static let lowercaseA = UInt8(ascii: "a")
    static let lowercaseF = UInt8(ascii: "f")
    static let uppercaseA = UInt8(ascii: "A")
    static let uppercaseF = UInt8(ascii: "F")

    /// Returns the index of the first byte in `start..<end` that a string scan must
    /// look at (a quote, a backslash or a control character), or `end`.
    /// The C helper tests 16 bytes per step with SSE2. It is in C because
    /// Swift's `SIMD16` compiles to a loop over the lanes here.
    @inline(__always)
    static func firstStringSpecial(in base: UnsafePointer<UInt8>, from start: Int, to end: Int) -> Int {
        trailscan_first_string_special(base, start, end)
    }

    /// Returns how many newline bytes `bytes` contains. The C helper counts
    /// 64 bytes per step with SSE2. A `memchr` call per line took about
    /// 29 ms of CPU (perf) for the 200,000 lines of the 229 MB benchmark
    /// stream.
    static func newlineCount(in bytes: UnsafeBufferPointer<UInt8>) -> Int {
        guard let base = bytes.baseAddress else { return 0 }
        return trailscan_count_byte(base, bytes.count, newline)
    }

    /// Returns whether `bytes` are exactly the UTF-8 bytes of `literal`.
    @inline(__always)
    static func equals(_ bytes: UnsafeBufferPointer<UInt8>, _ literal: StaticString) -> Bool {
        bytes.count == literal.utf8CodeUnitCount
            && (bytes.isEmpty || memcmp(bytes.baseAddress!, literal.utf8Start, bytes.count) == 0)
    }

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
