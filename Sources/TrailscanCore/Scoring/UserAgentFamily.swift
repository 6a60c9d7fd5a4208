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

    static func family(of userAgent: String) -> String {
        let lowercased = userAgent.lowercased()
        for (marker, family) in markers where lowercased.contains(marker) {
            return family
        }
        if lowercased.hasSuffix(".amazonaws.com") { return "aws-service" }
        return "other"
    }
}
