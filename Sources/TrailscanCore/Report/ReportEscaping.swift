/// Escaping of event text for the HTML report. `&`, `<`, `>`, `"` and `'`
/// become entities, so the result is safe both as element content and as a
/// quoted attribute value. Control characters are first made visible.
enum HTMLEscaping {
    static func escape(_ text: String?) -> String {
        guard let text else { return "-" }
        var output = ""
        for scalar in TextEscaping.visible(text).unicodeScalars {
            switch scalar {
            case "&": output += "&amp;"
            case "<": output += "&lt;"
            case ">": output += "&gt;"
            case "\"": output += "&quot;"
            case "'": output += "&#39;"
            default: output.unicodeScalars.append(scalar)
            }
        }
        return output
    }
}

/// Escaping of event text for the Markdown report (CommonMark with GitHub
/// tables).
enum MarkdownEscaping {
    /// Text for a table cell or a paragraph: control characters made
    /// visible, `<`, `>` and `&` as entities so no HTML tag or entity
    /// survives, and a backslash before the characters that start emphasis,
    /// code spans, links or end a table cell.
    static func inline(_ text: String?) -> String {
        guard let text else { return "-" }
        var output = ""
        for scalar in TextEscaping.visible(text).unicodeScalars {
            switch scalar {
            case "&": output += "&amp;"
            case "<": output += "&lt;"
            case ">": output += "&gt;"
            case "\\", "`", "*", "_", "[", "]", "|", "~", "#", "!":
                output += "\\"
                output.unicodeScalars.append(scalar)
            default: output.unicodeScalars.append(scalar)
            }
        }
        return output
    }

    /// A fenced code block holding `text` with control characters made
    /// visible, so the text is one line. The fence is one backtick longer
    /// than the longest backtick run in the text, so the text cannot close it.
    static func codeBlock(_ text: String) -> String {
        let safe = TextEscaping.visible(text)
        var longest = 0
        var run = 0
        for character in safe {
            run = character == "`" ? run + 1 : 0
            longest = max(longest, run)
        }
        let fence = String(repeating: "`", count: max(3, longest + 1))
        return fence + "json\n" + safe + "\n" + fence + "\n"
    }
}

/// Escaping of one CSV field (RFC 4180).
enum CSVEscaping {
    /// A field that a spreadsheet reads as text: a value starting with `=`,
    /// `+`, `-`, `@`, tab or carriage return gets a leading `'`, so it is
    /// not run as a formula, and a value containing a comma, quote, CR or LF
    /// is quoted with inner quotes doubled. Other characters are kept as
    /// they are, so the data stays exact.
    static func field(_ text: String?) -> String {
        guard var value = text else { return "" }
        if let first = value.unicodeScalars.first, ["=", "+", "-", "@", "\t", "\r"].contains(first) {
            value = "'" + value
        }
        guard value.contains(where: { $0 == "," || $0 == "\"" || $0 == "\r" || $0 == "\n" || $0 == "\r\n" }) else {
            return value
        }
        return "\"" + value.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
