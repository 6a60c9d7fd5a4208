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

    /// `text` made visible, then padded or cut (with a trailing `…`) to
    /// exactly `width` terminal columns.
    static func cell(_ text: String?, width: Int) -> String {
        let safe = visible(text ?? "-")
        let total = columns(of: safe)
        guard total > width else { return safe + String(repeating: " ", count: width - total) }

        var output = ""
        var used = 0
        for character in safe {
            let columns = columns(of: character)
            if used + columns > width - 1 { break }
            output.append(character)
            used += columns
        }
        return output + "…" + String(repeating: " ", count: width - 1 - used)
    }

    /// Splits `text`, made visible, into lines of at most `width` columns.
    ///
    /// With `breakingAtSpaces`, a line ends at its last space, which is
    /// dropped, so that words stay whole. Only a word wider than a line is
    /// cut. Without it, every line is cut at the width, so that joining the
    /// lines gives the text back exactly, as a raw event needs.
    static func wrap(_ text: String, width: Int, breakingAtSpaces: Bool = false) -> [String] {
        var lines: [String] = []
        var line: [Character] = []
        var used = 0
        /// The position in `line` of its last space, when it may end there.
        var lastSpace: Int?
        for character in visible(text) {
            let columns = columns(of: character)
            if used + columns > width && !line.isEmpty {
                if breakingAtSpaces && character == " " {
                    // The line is full and the next character is a space,
                    // which is dropped.
                    lines.append(String(line))
                    line = []
                    used = 0
                    lastSpace = nil
                    continue
                }
                if breakingAtSpaces, let space = lastSpace {
                    lines.append(String(line[..<space]))
                    line = Array(line[(space + 1)...])
                } else {
                    lines.append(String(line))
                    line = []
                }
                used = line.reduce(0) { $0 + Self.columns(of: $1) }
                lastSpace = nil
            }
            line.append(character)
            used += columns
            if character == " " && line.count > 1 { lastSpace = line.count - 1 }
        }
        if !line.isEmpty || lines.isEmpty { lines.append(String(line)) }
        return lines
    }

    /// Terminal columns of `text`: 2 for East Asian wide characters and
    /// emoji, 0 for combining marks, 1 otherwise.
    /// NOTE: an approximation of Unicode's East Asian Width property (UAX #11)
    /// over its main wide ranges; rarer wide characters count as 1.
    static func columns(of text: some StringProtocol) -> Int {
        text.reduce(0) { $0 + columns(of: $1) }
    }

    static func columns(of character: Character) -> Int {
        guard let first = character.unicodeScalars.first else { return 0 }
        if first.properties.generalCategory == .nonspacingMark { return 0 }
        switch first.value {
        case 0x1100...0x115F, 0x2E80...0x303E, 0x3041...0x33FF, 0x3400...0x4DBF, 0x4E00...0x9FFF,
             0xA000...0xA4CF, 0xAC00...0xD7A3, 0xF900...0xFAFF, 0xFE30...0xFE4F, 0xFF00...0xFF60,
             0xFFE0...0xFFE6, 0x1F300...0x1F64F, 0x1F900...0x1F9FF, 0x20000...0x3FFFD:
            return 2
        default:
            return 1
        }
    }
}
