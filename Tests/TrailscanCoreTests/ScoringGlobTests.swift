import Testing

@testable import TrailscanCore

@Suite("Glob")
struct ScoringGlobTests {
    @Test(
        "glob matches whole text ignoring case",
        arguments: [
            ("*admin*", "arn:aws:iam::1:role/AdminRole", true),
            ("*admin*", "arn:aws:iam::1:role/DevAdministrator", true),
            ("*admin*", "arn:aws:iam::1:role/ReadOnly", false),
            ("*Admin*", "ADMIN", true),
            ("admin", "admin", true),
            ("admin", "AdminRole", false),
            ("admin*", "AdminRole", true),
            ("*role", "AdminRole", true),
            ("*role", "AdminRoles", false),
            ("a*b*c", "abc", true),
            ("a*b*c", "aXbYc", true),
            ("a*b*c", "acb", false),
            ("a*b*b", "ab", false),
            ("ab*ba", "aba", false),
            ("*", "", true),
            ("*", "anything", true),
            ("**", "x", true),
            ("", "", true),
            ("", "x", false),
            ("*x*x*", "xx", true),
            ("*x*x*", "x", false),
            ("arn:aws:iam::*:role/breakglass", "arn:aws:iam::111122223333:role/BreakGlass", true),
            // Candidates that share the segment's first byte, an empty
            // middle segment, and a segment that fits only at the very end.
            ("*aab*", "aaab", true),
            ("*aab*", "abababa", false),
            ("x**y", "xzy", true),
            ("*abc*d", "zzabcd", true),
            ("*abc*d", "zzabd", false),
            ("*\u{00E9}quipe*", "arn:aws:iam::1:role/\u{00C9}QUIPE", true),
        ])
    func matches(pattern: String, text: String, expected: Bool) {
        #expect(Glob(pattern).matches(text) == expected)
    }
}
