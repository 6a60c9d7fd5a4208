/// The family of client behind a CloudTrail `userAgent`, for the anomaly
/// baseline: a principal that always used Terraform and suddenly calls from
/// the AWS CLI is worth a look, while a new CLI version is not.
///
/// Families: `console` (the AWS Management Console and browsers), `aws-cli`,
/// `boto3` (and botocore), `terraform`, `cloudformation`, the SDKs by
/// language (`sdk-go`, `sdk-java`, `sdk-js`, `sdk-dotnet`, `sdk-ruby`,
/// `sdk-php`, `sdk-rust`, `sdk-cpp`), `aws-internal` (`AWS Internal`),
/// `aws-service` (a service name such as `lambda.amazonaws.com`) and `other`.
enum UserAgentFamily {
    /// Checked in order; the first family whose marker appears (case-insensitive) wins.
    private static let markers: [(marker: String, family: String)] = [
        ("terraform", "terraform"),
        ("cloudformation", "cloudformation"),
        ("aws-cli", "aws-cli"),
        ("boto3", "boto3"),
        ("botocore", "boto3"),
        ("aws-sdk-go", "sdk-go"),
        ("aws-sdk-java", "sdk-java"),
        ("aws-sdk-js", "sdk-js"),
        ("aws-sdk-nodejs", "sdk-js"),
        ("aws-sdk-dotnet", "sdk-dotnet"),
        ("aws-sdk-ruby", "sdk-ruby"),
        ("aws-sdk-php", "sdk-php"),
        ("aws-sdk-rust", "sdk-rust"),
        ("aws-sdk-cpp", "sdk-cpp"),
        ("console.amazonaws.com", "console"),
        ("signin.amazonaws.com", "console"),
        ("aws-internal", "aws-internal"),
        ("aws internal", "aws-internal"),
        ("mozilla/", "console"),
    ]

    private static let markerBytes: [(marker: [UInt8], family: String)] = markers.map { (Array($0.marker.utf8), $0.family) }
    private static let serviceSuffix = Array(".amazonaws.com".utf8)

    /// The family of `userAgent`. ASCII letters are compared without case;
    /// the search works on bytes, because it runs once per record.
    static func family(of userAgent: String) -> String {
        var text = Array(userAgent.utf8)
        for index in text.indices where text[index] >= UInt8(ascii: "A") && text[index] <= UInt8(ascii: "Z") {
            text[index] += 32
        }
        for (marker, family) in markerBytes where contains(text, marker) {
            return family
        }
        if text.count >= serviceSuffix.count && text.suffix(serviceSuffix.count).elementsEqual(serviceSuffix) {
            return "aws-service"
        }
        return "other"
    }

    private static func contains(_ text: [UInt8], _ marker: [UInt8]) -> Bool {
        guard let first = marker.first, text.count >= marker.count else { return false }
        var start = 0
        while start <= text.count - marker.count {
            if text[start] == first && text[start..<start + marker.count].elementsEqual(marker) { return true }
            start += 1
        }
        return false
    }
}
