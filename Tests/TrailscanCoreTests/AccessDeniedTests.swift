import Testing

@testable import TrailscanCore

@Suite("Access-denied error codes")
struct AccessDeniedTests {
    @Test(
        "error codes that count towards an error burst",
        arguments: [
            ("AccessDenied", true),
            ("AccessDeniedException", true),
            ("Client.UnauthorizedOperation", true),
            ("UnauthorizedAccess", true),
            ("Forbidden", true),
            ("NotAuthorized", true),
            ("ACCESSDENIED", true),
            ("accessdenied", true),
            ("xAccessDeniedx", true),
            ("AccessDenie", false),
            ("ThrottlingException", false),
            ("ValidationException", false),
            ("NoSuchBucket", false),
            ("Access Denied", false),
            ("", false),
        ])
    func matches(errorCode: String, expected: Bool) {
        #expect(AccessDenied.matches(errorCode) == expected)
    }
}
