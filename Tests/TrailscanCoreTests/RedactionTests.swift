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
            // Keys written with JSON escapes are the same keys.
            (
                #"{"pass\u0077ord":"hunter2","session\u0054oken":"t","secret\/AccessKey":"not a key"}"#,
                #"{"pass\u0077ord":"REDACTED","session\u0054oken":"REDACTED","secret\/AccessKey":"not a key"}"#
            ),
            // Values of any type but null are replaced whole.
            (
                #"{"sessionToken":null,"password":12345,"secretAccessKey":{"nested":"x","n":[1,{"a":"]"}]},"newPassword":["a","b"],"x":true}"#,
                #"{"sessionToken":null,"password":"REDACTED","secretAccessKey":"REDACTED","newPassword":"REDACTED","x":true}"#
            ),
            (
                #"[{"password":false},{"password":-1.5e3}]"#,
                #"[{"password":"REDACTED"},{"password":"REDACTED"}]"#
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
            #"{"sessionToken":null,"password":null}"#,
            #"{"description":"the key \"password\": \"x\" is in a string"}"#,
            #"["password","sessionToken",{"k":"password"}]"#,
        ])
    func unchanged(input: String) throws {
        #expect(redact(input) == input)
    }

    @Test("object under a redacted key is replaced whole")
    func nestedUnderKey() throws {
        let input = #"{"secretAccessKey":{"password":"inner","other":"secret too"},"after":1}"#
        let output = redact(input)
        #expect(output == #"{"secretAccessKey":"REDACTED","after":1}"#)
        _ = try JSONValue(parsing: output)
    }

    @Test(
        "cut-off input is followed as far as it goes",
        arguments: [
            (#"{"password""#, #"{"password""#),
            (#"{"password":"#, #"{"password":"#),
            (#"{"password":{"a":"#, #"{"password":"REDACTED""#),
            (#"{"password":"abc"#, #"{"password":"REDACTED""#),
            (#"{"x":"abc"#, #"{"x":"abc"#),
        ])
    func cutOff(input: String, expected: String) {
        #expect(redact(input) == expected)
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
