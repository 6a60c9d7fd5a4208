/// Removes credentials from a raw record before it is stored as evidence.
///
/// The string values of these keys, at any depth, become `"REDACTED"`:
/// `sessionToken` (STS responses), `secretAccessKey`, `password` and
/// `newPassword`. The search is for the quoted key followed by a colon;
/// a quote inside a JSON string is always escaped, so text inside other
/// strings (a policy document, say) cannot look like a key.
enum Redaction {
    static let redactedKeys = ["sessionToken", "secretAccessKey", "password", "newPassword"]
    private static let quotedKeys = redactedKeys.map { Array("\"\($0)\"".utf8) }

    static func redacted(_ record: UnsafeBufferPointer<UInt8>) -> String {
        var output: [UInt8] = []
        var copiedUpTo = 0
        var index = 0
        while index < record.count {
            guard record[index] == ASCII.quote, let keyEnd = matchKey(in: record, at: index) else {
                index += 1
                continue
            }
            var valueStart = keyEnd
            while valueStart < record.count && ASCII.isWhitespace(record[valueStart]) { valueStart += 1 }
            guard valueStart < record.count, record[valueStart] == ASCII.colon else {
                index = keyEnd
                continue
            }
            valueStart += 1
            while valueStart < record.count && ASCII.isWhitespace(record[valueStart]) { valueStart += 1 }
            guard valueStart < record.count, record[valueStart] == ASCII.quote,
                  let valueEnd = stringEnd(in: record, from: valueStart)
            else {
                index = keyEnd
                continue
            }
            output.append(contentsOf: record[copiedUpTo..<valueStart])
            output.append(contentsOf: "\"REDACTED\"".utf8)
            copiedUpTo = valueEnd
            index = valueEnd
        }
        if copiedUpTo == 0 { return String(decoding: record, as: UTF8.self) }
        output.append(contentsOf: record[copiedUpTo...])
        return String(decoding: output, as: UTF8.self)
    }

    private static func matchKey(in record: UnsafeBufferPointer<UInt8>, at index: Int) -> Int? {
        for key in quotedKeys where index + key.count <= record.count {
            if key.withUnsafeBufferPointer({ UnsafeBufferPointer(rebasing: record[index..<index + key.count]).elementsEqual($0) }) {
                return index + key.count
            }
        }
        return nil
    }

    /// The position after the string literal that starts at `start`.
    private static func stringEnd(in record: UnsafeBufferPointer<UInt8>, from start: Int) -> Int? {
        var index = start + 1
        while index < record.count {
            if record[index] == ASCII.backslash {
                index += 2
                continue
            }
            if record[index] == ASCII.quote { return index + 1 }
            index += 1
        }
        return nil
    }
}
