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

    /// Returns the EventBridge `detail-type` for the raw bytes of a
    /// CloudTrail `eventType`, or nil for types that EventBridge does not
    /// deliver under a CloudTrail detail-type.
    static func detailType(forEventType eventType: UnsafeBufferPointer<UInt8>) -> StaticString? {
        if ASCII.equals(eventType, "AwsApiCall") { return "AWS API Call via CloudTrail" }
        if ASCII.equals(eventType, "AwsConsoleSignIn") { return "AWS Console Sign In via CloudTrail" }
        if ASCII.equals(eventType, "AwsServiceEvent") { return "AWS Service Event via CloudTrail" }
        if ASCII.equals(eventType, "AwsConsoleAction") { return "AWS Console Action via CloudTrail" }
        if ASCII.equals(eventType, "AwsCloudTrailInsight") { return "AWS Insight via CloudTrail" }
        return nil
    }

    /// Returns whether the raw bytes `key` are a top-level key of an
    /// EventBridge envelope: one of these fields, `detail` or `resources`.
    static func isEnvelopeKey(_ key: UnsafeBufferPointer<UInt8>) -> Bool {
        switch key.count {
        case 2: ASCII.equals(key, "id")
        case 4: ASCII.equals(key, "time")
        case 6: ASCII.equals(key, "source") || ASCII.equals(key, "region") || ASCII.equals(key, "detail")
        case 7: ASCII.equals(key, "version") || ASCII.equals(key, "account")
        case 9: ASCII.equals(key, "resources")
        case 11: ASCII.equals(key, "detail-type")
        default: false
        }
    }
}
