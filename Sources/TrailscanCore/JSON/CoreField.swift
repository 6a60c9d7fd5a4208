/// The record fields that the pipeline itself reads for every record,
/// whatever the rules: identity, time and place of the event, and the inputs
/// of the risk signals. Paths are relative to the CloudTrail record.
enum CoreField: Int, CaseIterable, Sendable {
    case eventTime
    case eventID
    case eventType
    case eventSource
    case eventName
    case awsRegion
    case recipientAccountId
    case sourceIPAddress
    case userAgent
    case errorCode
    case identityType
    case identityARN
    case identityAccountId
    case sessionIssuerARN
    case requestedRoleARN

    var path: [String] {
        switch self {
        case .eventTime: ["eventTime"]
        case .eventID: ["eventID"]
        case .eventType: ["eventType"]
        case .eventSource: ["eventSource"]
        case .eventName: ["eventName"]
        case .awsRegion: ["awsRegion"]
        case .recipientAccountId: ["recipientAccountId"]
        case .sourceIPAddress: ["sourceIPAddress"]
        case .userAgent: ["userAgent"]
        case .errorCode: ["errorCode"]
        case .identityType: ["userIdentity", "type"]
        case .identityARN: ["userIdentity", "arn"]
        case .identityAccountId: ["userIdentity", "accountId"]
        case .sessionIssuerARN: ["userIdentity", "sessionContext", "sessionIssuer", "arn"]
        case .requestedRoleARN: ["requestParameters", "roleArn"]
        }
    }
}

/// The top-level fields of the EventBridge envelope that CloudTrail records
/// are matched in, and how each derives from the record.
enum EnvelopeField: Int, CaseIterable, Sendable {
    case version
    case id
    case detailType
    case source
    case account
    case time
    case region

    var key: String {
        switch self {
        case .version: "version"
        case .id: "id"
        case .detailType: "detail-type"
        case .source: "source"
        case .account: "account"
        case .time: "time"
        case .region: "region"
        }
    }

    /// The EventBridge `detail-type` for a CloudTrail `eventType`, or nil for
    /// types that EventBridge does not deliver under a CloudTrail detail-type.
    static func detailType(forEventType eventType: some Collection<UInt8>) -> String? {
        switch String(decoding: eventType, as: UTF8.self) {
        case "AwsApiCall": "AWS API Call via CloudTrail"
        case "AwsConsoleSignIn": "AWS Console Sign In via CloudTrail"
        case "AwsServiceEvent": "AWS Service Event via CloudTrail"
        case "AwsConsoleAction": "AWS Console Action via CloudTrail"
        case "AwsCloudTrailInsight": "AWS Insight via CloudTrail"
        default: nil
        }
    }
}
