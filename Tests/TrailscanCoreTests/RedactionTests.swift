import EventPatterns
import Testing

@testable import TrailscanCore

func redact(_ text: String) -> String {
    Array(text.utf8).withUnsafeBufferPointer { Redaction.redacted($0) }
}

@Suite("Redaction")
struct RedactionTests {
    @Test(
        "credential values are replaced",
        arguments: [
            (
                #"{"responseElements":{"credentials":{"accessKeyId":"ASIAEXAMPLE","sessionToken":"FwoGZX+abc/def=","expiration":"x"}}}"#,
                #"{"responseElements":{"credentials":{"accessKeyId":"ASIAEXAMPLE","sessionToken":"REDACTED","expiration":"x"}}}"#
            ),
            (
                #"{"a":[{"b":{"secretAccessKey":"wJalr/K7MDENG"}}]}"#,
                #"{"a":[{"b":{"secretAccessKey":"REDACTED"}}]}"#
            ),
            (
                #"{"requestParameters":{"password":"p\"a\\ss","newPassword":"n\"ew"}}"#,
                #"{"requestParameters":{"password":"REDACTED","newPassword":"REDACTED"}}"#
            ),
            (
                "{\"password\" :\n\t \"hunter2\" , \"x\":1}",
                "{\"password\" :\n\t \"REDACTED\" , \"x\":1}"
            ),
            (
                #"{"sessionToken":"","password":"\u0041"}"#,
                #"{"sessionToken":"REDACTED","password":"REDACTED"}"#
            ),
        ])
    func replaced(input: String, expected: String) throws {
        let output = redact(input)
        #expect(output == expected)
        _ = try JSONValue(parsing: output)
    }

    @Test(
        "text that only mentions a key is unchanged",
        arguments: [
            #"{"policy":"{\"Statement\":[{\"Condition\":{\"sessionToken\":\"abc\"}}]}"}"#,
            #"{"note":"sessionToken","other":"password"}"#,
            #"{"list":["secretAccessKey","newPassword"]}"#,
            #"{"passwordLastUsed":"2024-01-01","xsessionToken":"v"}"#,
            #"{"sessionToken":null,"password":12345,"secretAccessKey":{"nested":"x"}}"#,
            #"{"description":"the key \"password\": \"x\" is in a string"}"#,
        ])
    func unchanged(input: String) throws {
        #expect(redact(input) == input)
    }

    @Test("nested value under a redacted key")
    func nestedUnderKey() throws {
        let input = #"{"secretAccessKey":{"password":"inner"}}"#
        let output = redact(input)
        #expect(output == #"{"secretAccessKey":{"password":"REDACTED"}}"#)
        _ = try JSONValue(parsing: output)
    }

    @Test("redacted record keeps its other values")
    func keepsOtherValues() throws {
        let input = #"{"eventName":"GetSessionToken","responseElements":{"credentials":{"sessionToken":"s\u00e9cret"}},"n":[1,2]}"#
        let output = try JSONValue(parsing: redact(input))
        #expect(output["eventName"] == .string("GetSessionToken"))
        #expect(output["responseElements"]?["credentials"]?["sessionToken"] == .string("REDACTED"))
        #expect(output["n"]?.arrayValue?.count == 2)
    }
}
