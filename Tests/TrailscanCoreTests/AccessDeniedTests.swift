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

    @Test("denied calls from records, escaped error codes included")
    func deniedCallsFromRecords() throws {
        func record(_ id: String, errorCode: String) -> String {
            """
            {"userIdentity":{"type":"IAMUser","arn":"arn:aws:iam::111122223333:user/alice"},\
            "eventTime":"2024-03-01T10:00:00Z","eventSource":"s3.amazonaws.com","eventName":"GetObject",\
            "eventID":"\(id)","errorCode":\(errorCode)}
            """
        }
        try withTemporaryDirectory { directory in
            let records = [
                record("plain", errorCode: #""AccessDenied""#),
                record("escaped", errorCode: #""Access\u0044enied""#),
                record("throttled", errorCode: #""ThrottlingException""#),
                record("number", errorCode: "403"),
                record("null", errorCode: "null"),
            ]
            let result = try processLog(
                records, named: "denied.json.gz", in: directory, rules: RuleSet(rules: []), config: .defaults)
            #expect(result.records == 5)
            let calls = result.observations.deniedCalls
            #expect(calls.map { result.observations.string($0.eventID) } == ["plain", "escaped"])
            #expect(calls.map { result.observations.string($0.principal) }
                        == Array(repeating: "arn:aws:iam::111122223333:user/alice", count: 2))
        }
    }
}
