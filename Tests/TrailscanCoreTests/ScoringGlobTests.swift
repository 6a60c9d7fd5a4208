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
        ])
    func matches(pattern: String, text: String, expected: Bool) {
        #expect(Glob(pattern).matches(text) == expected)
    }
}
