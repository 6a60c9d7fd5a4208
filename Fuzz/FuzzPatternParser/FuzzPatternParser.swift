import EventPatterns
import CLibFuzzer

/// A CloudTrail event in an EventBridge envelope, with strings, numbers,
/// Booleans, null, an IP address and an array of objects for the patterns to test.
let fixedEvent: JSONValue = {
    let text = #"""
        {"version": "0", "id": "6a7e8feb", "detail-type": "AWS API Call via CloudTrail", "source": "aws.iam",
         "account": "111122223333", "time": "2025-06-11T02:15:00Z", "region": "us-east-1", "resources": [],
         "detail": {"eventVersion": "1.08", "eventName": "CreateAccessKey", "eventSource": "iam.amazonaws.com",
          "sourceIPAddress": "203.0.113.7", "readOnly": false, "errorCode": null, "count": -0.5,
          "userIdentity": {"type": "IAMUser", "arn": "arn:aws:iam::111122223333:user/alice", "accountId": "111122223333"},
          "requestParameters": {"userName": "bob", "tags": [{"key": "team", "value": "red"}, {"key": "env", "value": 7}]},
          "additionalEventData": {"bytesTransferredOut": 500.0, "MFAUsed": "No"}, "ipv6": "2001:db8::1"}}
        """#
    // The text is constant and valid JSON, so a failure here is a bug in it.
    return try! JSONValue(parsing: text)
}()

/// Parses one input of arbitrary bytes as JSON and as an EventBridge pattern;
/// a pattern that compiles is matched against `fixedEvent`.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzPatternParser(_ start: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    let bytes = UnsafeRawBufferPointer(UnsafeBufferPointer(start: start, count: count))
    _ = try? JSONValue(parsing: bytes)
    guard let pattern = try? Pattern(parsing: String(decoding: bytes, as: UTF8.self)) else { return 0 }
    _ = pattern.matches(fixedEvent)
    return 0
}

/// The executable's entry point. SwiftPM links an executable with `main`
/// bound to `<module>_main`, which hides libFuzzer's own `main`, so this
/// function starts libFuzzer's driver with the same arguments.
@_cdecl("FuzzPatternParser_main")
public func runFuzzer(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    var argumentCount = argc
    var arguments = argv
    return LLVMFuzzerRunDriver(&argumentCount, &arguments, fuzzPatternParser)
}
