import EventPatterns
import Glibc

extension Reason {
    /// Encodes the `reasons` column: a JSON array of
    /// `{"signal","points","detail"}` objects, in that key order. It is
    /// written directly, because it runs for every stored and rescored finding.
    static func encode(_ reasons: [Reason]) -> String {
        var output = ""
        output.reserveCapacity(2 + reasons.count * 112)
        output.append("[")
        for (position, reason) in reasons.enumerated() {
            if position > 0 { output.append(",") }
            append(reason, to: &output)
        }
        output.append("]")
        return output
    }

    /// Appends `reason` as `encode` writes an element of the array.
    static func append(_ reason: Reason, to output: inout String) {
        output.append(#"{"signal":""#)
        output.append(reason.signal.rawValue)
        output.append(#"","points":"#)
        output.append(String(reason.points))
        output.append(#","detail":"#)
        JSONValue.writeQuoted(reason.detail, to: &output)
        output.append("}")
    }

    /// Parses a `reasons` column written by `encode`. Unknown signals are dropped.
    static func decode(_ text: String) -> [Reason] {
        var text = text
        if let reasons = text.withUTF8(decodeAsEncoded) { return reasons }
        guard let elements = (try? JSONValue(parsing: text))?.arrayValue else { return [] }
        return elements.compactMap { element in
            guard let signal = element["signal"]?.stringValue.flatMap(Signal.init(rawValue:)),
                  let points = element["points"]?.numberValue,
                  let detail = element["detail"]?.stringValue
            else { return nil }
            return Reason(signal: signal, points: Int(points), detail: detail)
        }
    }

    /// Parses exactly what `encode` writes when no detail needs an escape,
    /// the usual case, without building JSON values. Returns nil for any
    /// other text, which the general parser then reads.
    static func decodeAsEncoded(_ bytes: UnsafeBufferPointer<UInt8>) -> [Reason]? {
        var index = 0
        func skip(_ literal: StaticString) -> Bool {
            let count = literal.utf8CodeUnitCount
            guard index + count <= bytes.count, memcmp(bytes.baseAddress! + index, literal.utf8Start, count) == 0
            else { return false }
            index += count
            return true
        }
        /// Moves past a string's contents and its closing quote and returns
        /// the contents, or nil when they hold an escape or a control byte.
        func stringContents() -> UnsafeBufferPointer<UInt8>? {
            let start = index
            while index < bytes.count {
                let byte = bytes[index]
                if byte == ASCII.quote {
                    index += 1
                    return UnsafeBufferPointer(rebasing: bytes[start..<(index - 1)])
                }
                if byte == ASCII.backslash || byte < 0x20 { return nil }
                index += 1
            }
            return nil
        }

        guard bytes.baseAddress != nil, skip("[") else { return nil }
        var reasons: [Reason] = []
        if skip("]") { return index == bytes.count ? reasons : nil }
        while true {
            guard skip(#"{"signal":""#), let signal = stringContents(), skip(#","points":"#) else { return nil }
            let isNegative = skip("-")
            var points = 0
            let digitsStart = index
            while index < bytes.count, ASCII.isDigit(bytes[index]), index - digitsStart < 18 {
                points = points * 10 + Int(bytes[index] - ASCII.zero)
                index += 1
            }
            // JSON allows no leading zero.
            let hasLeadingZero = index - digitsStart > 1 && bytes[digitsStart] == ASCII.zero
            guard index > digitsStart, !hasLeadingZero, skip(#","detail":""#), let detail = stringContents(), skip("}") else { return nil }
            if let signal = Signal(rawValue: String(decoding: signal, as: UTF8.self)) {
                reasons.append(Reason(signal: signal, points: isNegative ? -points : points,
                                      detail: String(decoding: detail, as: UTF8.self)))
            }
            if skip(",") { continue }
            guard skip("]"), index == bytes.count else { return nil }
            return reasons
        }
    }
}
