/// The facts about one event that the ip, time and role signals read.
public struct EventFacts: Sendable {
    /// `eventTime` as seconds since 1970-01-01T00:00:00Z.
    public var eventTime: Int64
    public var sourceIPAddress: String?
    /// `userIdentity.type`.
    public var identityType: String?
    /// `userIdentity.arn`.
    public var identityARN: String?
    /// `userIdentity.sessionContext.sessionIssuer.arn`.
    public var sessionIssuerARN: String?
    /// `requestParameters.roleArn`: the role being assumed.
    public var requestedRoleARN: String?

    public init(
        eventTime: Int64, sourceIPAddress: String?, identityType: String?, identityARN: String?,
        sessionIssuerARN: String?, requestedRoleARN: String?
    ) {
        self.eventTime = eventTime
        self.sourceIPAddress = sourceIPAddress
        self.identityType = identityType
        self.identityARN = identityARN
        self.sessionIssuerARN = sessionIssuerARN
        self.requestedRoleARN = requestedRoleARN
    }
}
