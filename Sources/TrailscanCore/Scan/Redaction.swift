import EventPatterns
import Glibc

/// Removes credentials from a raw record before it is stored as evidence.
///
/// The value of a member named `sessionToken` (STS responses),
/// `secretAccessKey`, `password` or `newPassword`, at any depth, becomes
/// `"REDACTED"`, whatever its type. Only `null` is kept. Keys are compared
/// after their JSON escapes are decoded, so `"pass\u0077ord"` is
/// `password`. The record is walked as JSON, so text inside other strings
/// (a policy document, say) is never taken for a key.
enum Redaction {
    static let redactedKeys = ["sessionToken", "secretAccessKey", "password", "newPassword"]
    private static let keyBytes = redactedKeys.map { Array($0.utf8) }
    private static let shortestKey = keyBytes.map(\.count).min() ?? 0
    /// Byte strings that every redacted key written without `\u` escapes
    /// contains (`assword` covers `password` and `newPassword`), and the
    /// start of such an escape, each with the offset of a byte that is rare
    /// in CloudTrail records, which `memchr` looks for. A record that
    /// contains none of them has no member to redact.
    private static let markers: [(bytes: [UInt8], anchor: Int)] = [
        (Array("sessionToken".utf8), 7), (Array("secretAccessKey".utf8), 12),
        (Array("assword".utf8), 3), (Array("\\u".utf8), 0),
    ]

    /// Returns `record` with every redacted member's value replaced. The
    /// record is expected to be valid JSON; malformed input is copied as far
    /// as it can be followed.
    static func redacted(_ record: UnsafeBufferPointer<UInt8>) -> String {
        guard mayHoldRedactedKey(record) else { return String(decoding: record, as: UTF8.self) }
        var output: [UInt8] = []
        var copiedUpTo = 0
        // One entry per open container: true for an object.
        var containers: [Bool] = []
        var expectsKey = false
        var decodedKey: [UInt8] = []
        var index = 0
        while index < record.count {
            switch record[index] {
            case ASCII.openBrace:
                containers.append(true)
                expectsKey = true
                index += 1
            case ASCII.openBracket:
                containers.append(false)
                expectsKey = false
                index += 1
            case ASCII.closeBrace, ASCII.closeBracket:
                _ = containers.popLast()
                expectsKey = false
                index += 1
            case ASCII.comma:
                expectsKey = containers.last ?? false
                index += 1
            case ASCII.quote:
                let keyEnd = stringEnd(in: record, from: index)
                guard expectsKey else {
                    index = keyEnd
                    continue
                }
                expectsKey = false
                guard isRedacted(key: UnsafeBufferPointer(rebasing: record[(index + 1)..<max(index + 1, keyEnd - 1)]),
                                 scratch: &decodedKey),
                      let value = valueRange(in: record, afterKeyEndingAt: keyEnd)
                else {
                    index = keyEnd
                    continue
                }
                output.append(contentsOf: record[copiedUpTo..<value.lowerBound])
                output.append(contentsOf: "\"REDACTED\"".utf8)
                copiedUpTo = value.upperBound
                index = value.upperBound
            default:
                index += 1
            }
        }
        if copiedUpTo == 0 { return String(decoding: record, as: UTF8.self) }
        output.append(contentsOf: record[copiedUpTo...])
        return String(decoding: output, as: UTF8.self)
    }

    /// Returns whether `record` contains one of `markers`. Only the escapes
    /// `\uXXXX` can spell a letter, so without them a redacted key appears
    /// verbatim. Most records contain no marker, and looking for the markers
    /// is faster than walking the JSON.
    private static func mayHoldRedactedKey(_ record: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let base = record.baseAddress else { return false }
        return markers.contains { marker in
            marker.bytes.withUnsafeBufferPointer { bytes in
                var position = marker.anchor
                while position < record.count,
                      let found = memchr(base + position, Int32(bytes[marker.anchor]), record.count - position)
                {
                    let start = UnsafeRawPointer(found) - UnsafeRawPointer(base) - marker.anchor
                    if start + bytes.count <= record.count
                        && ByteStrings.equal(base + start, bytes.baseAddress!, count: bytes.count)
                    {
                        return true
                    }
                    position = start + marker.anchor + 1
                }
                return false
            }
        }
    }

    /// Returns whether a member key (string contents, escapes undecoded) is
    /// one of `redactedKeys`.
    private static func isRedacted(key: UnsafeBufferPointer<UInt8>, scratch: inout [UInt8]) -> Bool {
        // Escapes only lengthen a key, so one shorter than every redacted key
        // cannot be one.
        guard key.count >= shortestKey else { return false }
        guard key.contains(ASCII.backslash) else {
            // Most keys differ from all four in length, which is compared first.
            return keyBytes.contains { stored in
                stored.count == key.count
                    && stored.withUnsafeBufferPointer { ByteStrings.equal($0.baseAddress!, key.baseAddress!, count: key.count) }
            }
        }
        scratch.removeAll(keepingCapacity: true)
        JSONStringDecoder.decode(key, into: &scratch)
        return keyBytes.contains(scratch)
    }

    /// Returns the range of the value after the key whose closing quote ends
    /// at `keyEnd`, or nil when there is no colon and value, or the value is
    /// `null`.
    private static func valueRange(in record: UnsafeBufferPointer<UInt8>, afterKeyEndingAt keyEnd: Int) -> Range<Int>? {
        var start = skipWhitespace(in: record, from: keyEnd)
        guard start < record.count, record[start] == ASCII.colon else { return nil }
        start = skipWhitespace(in: record, from: start + 1)
        guard start < record.count else { return nil }
        let end = valueEnd(in: record, from: start)
        let value = UnsafeBufferPointer(rebasing: record[start..<end])
        if value.elementsEqual("null".utf8) { return nil }
        return start..<end
    }

    /// Returns the position after the value that starts at `start`: a
    /// string, a container with its nested values, or a scalar.
    private static func valueEnd(in record: UnsafeBufferPointer<UInt8>, from start: Int) -> Int {
        switch record[start] {
        case ASCII.quote:
            return stringEnd(in: record, from: start)
        case ASCII.openBrace, ASCII.openBracket:
            var depth = 0
            var index = start
            while index < record.count {
                switch record[index] {
                case ASCII.quote:
                    index = stringEnd(in: record, from: index)
                    continue
                case ASCII.openBrace, ASCII.openBracket:
                    depth += 1
                case ASCII.closeBrace, ASCII.closeBracket:
                    depth -= 1
                    if depth == 0 { return index + 1 }
                default:
                    break
                }
                index += 1
            }
            return record.count
        default:
            var index = start
            while index < record.count {
                let byte = record[index]
                if byte == ASCII.comma || byte == ASCII.closeBrace || byte == ASCII.closeBracket || ASCII.isWhitespace(byte) {
                    break
                }
                index += 1
            }
            return index
        }
    }

    private static func skipWhitespace(in record: UnsafeBufferPointer<UInt8>, from start: Int) -> Int {
        var index = start
        while index < record.count && ASCII.isWhitespace(record[index]) { index += 1 }
        return index
    }

    /// Returns the position after the string literal that starts at `start`,
    /// or the end of the record when the literal is not closed.
    private static func stringEnd(in record: UnsafeBufferPointer<UInt8>, from start: Int) -> Int {
        let base = record.baseAddress!
        var index = start + 1
        while index < record.count {
            index = ASCII.firstStringSpecial(in: base, from: index, to: record.count)
            guard index < record.count else { break }
            if record[index] == ASCII.quote { return index + 1 }
            // A backslash skips the escaped byte; a control byte is passed over.
            index += record[index] == ASCII.backslash ? 2 : 1
        }
        return record.count
    }
}
