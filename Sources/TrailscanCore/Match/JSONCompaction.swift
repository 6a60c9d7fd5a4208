/// Removes the whitespace between the tokens of a JSON text, leaving string
/// contents and number spellings exactly as written, so a pretty-printed
/// record becomes one line.
///
/// The input must already be valid JSON: the function tracks only whether it
/// is inside a string.
func appendCompactJSON(_ bytes: UnsafeBufferPointer<UInt8>, to output: inout [UInt8]) {
    var isInString = false
    var isEscaped = false
    for byte in bytes {
        if isInString {
            output.append(byte)
            if isEscaped {
                isEscaped = false
            } else if byte == ASCII.backslash {
                isEscaped = true
            } else if byte == ASCII.quote {
                isInString = false
            }
            continue
        }
        if ASCII.isWhitespace(byte) { continue }
        if byte == ASCII.quote { isInString = true }
        output.append(byte)
    }
}
