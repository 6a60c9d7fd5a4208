// PLACEHOLDER: replaced by the scoring implementation. These declarations are
// the interface the scan pipeline builds against.
import EventPatterns

/// One of the four risk signals.
public enum Signal: String, Sendable, CaseIterable {
    case ip, time, role, anomaly
}

/// Why a finding scored what it did: one signal that fired, its points and
/// the concrete detail (which network, which local hour, which ARN).
public struct Reason: Sendable, Equatable {
    public var signal: Signal
    public var points: Int
    public var detail: String

    public init(signal: Signal, points: Int, detail: String) {
        self.signal = signal
        self.points = points
        self.detail = detail
    }
}

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

/// The scoring configuration.
public struct ScoringConfig: Sendable {
    public var weights: [Signal: Int] = [.ip: 30, .time: 20, .role: 25, .anomaly: 25]
    public var learningDays: Int = 7

    public static let defaults = ScoringConfig()

    public init() {}

    /// Reads and validates a configuration file.
    public static func load(path: String) throws(ConfigError) -> ScoringConfig { ScoringConfig() }
}

/// An invalid configuration: the file, the key, and what is wrong with its value.
public struct ConfigError: Error, Sendable, CustomStringConvertible {
    public var file: String
    public var key: String
    public var message: String

    public var description: String { "\(file): \(key): \(message)" }
}

/// Computes the ip, time and role signals of an event.
public struct StaticScorer: Sendable {
    public let config: ScoringConfig

    public init(config: ScoringConfig) {
        self.config = config
    }

    /// The reasons that fire for `facts`, in the order ip, time, role.
    public func reasons(for facts: EventFacts) -> [Reason] { [] }
}

/// An IPv4 or IPv6 address.
public struct IPAddress: Hashable, Sendable {
    /// The parsed address, or nil when `text` is not a valid IPv4 or IPv6
    /// literal (service names such as `ec2.amazonaws.com` included).
    public init?(_ text: String) { return nil }

    /// The anomaly signal's network key: the /24 of an IPv4 address or the
    /// /48 of an IPv6 address, in CIDR notation.
    public var networkKey: String { "" }
}
