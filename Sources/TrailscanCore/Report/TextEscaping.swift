/// Makes event text safe for a terminal: control characters (C0, DEL, C1,
/// and the bidirectional overrides U+202A-U+202E and U+2066-U+2069) become
/// visible `\u{...}` escapes, so an ESC sequence in a user agent cannot
/// move the cursor or clear the screen.
enum TextEscaping {
    static func visible(_ text: String) -> String {
        var output = ""
        for scalar in text.unicodeScalars {
            switch scalar.value {
            case 0x00...0x1F, 0x7F...0x9F, 0x202A...0x202E, 0x2066...0x2069:
                output += "\\u{" + String(scalar.value, radix: 16, uppercase: true) + "}"
            default:
                output.unicodeScalars.append(scalar)
            }
        }
        return output
    }

    /// `text` made visible, then cut to `width` characters with a trailing `…`.
    static func cell(_ text: String?, width: Int) -> String {
        let safe = visible(text ?? "-")
        guard safe.count > width else { return safe.padding(toLength: width, withPad: " ", startingAt: 0) }
        return String(safe.prefix(width - 1)) + "…"
    }
}
