/// The scoring configuration: where and when activity is expected, which
/// roles are sensitive, and how many points each signal adds.
///
/// `defaults` is what a scan uses without a configuration file. A file read
/// by `load(path:)` starts from the defaults and replaces each value it names.
public struct ScoringConfig: Sendable {
    /// The zone that event times are converted to before they are compared
    /// with `businessHours` and `holidays`.
    public var timeZone: NamedTimeZone = .utc
    public var businessHours: BusinessHours = .standard
    /// Local dates on which every event is outside business hours.
    public var holidays: Set<LocalDate> = []
    /// Source networks that the ip signal does not fire for.
    public var trustedNetworks: CIDRSet = Self.defaultTrustedNetworks
    /// Source networks that the ip signal fires for even when they are trusted.
    public var suspiciousNetworks = CIDRSet([])
    /// Patterns of role ARNs or role names that the role signal fires for,
    /// in the order they are tried.
    public var sensitiveRoles: [Glob] = ["*admin*", "*root*", "*breakglass*", "*OrganizationAccountAccessRole*"]
        .map(Glob.init)
    /// The points each signal adds when it fires. A signal with 0 points (or
    /// none listed) is disabled.
    public var weights: [Signal: Int] = [.ip: 30, .time: 20, .role: 25, .anomaly: 25]
    /// How long after an account's first event its baseline only learns, in
    /// days of 24 hours.
    public var learningDays: Int = 7
    /// How many AccessDenied-class errors of one principal within how many
    /// minutes make the anomaly signal fire.
    public var errorBurst = ErrorBurst(count: 5, minutes: 10)

    public static let defaults = ScoringConfig()

    public init() {}

    /// The private, shared, loopback and link-local ranges of IPv4 and IPv6
    /// (RFC 1918, RFC 6598, RFC 1122, RFC 3927, RFC 4291, RFC 4193).
    public static let defaultTrustedNetworks = CIDRSet(
        [
            "10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "100.64.0.0/10", "127.0.0.0/8", "169.254.0.0/16",
            "::1/128", "fc00::/7", "fe80::/10",
        ].compactMap(CIDRBlock.init))
}

/// A number of errors within a time window.
public struct ErrorBurst: Sendable, Equatable {
    /// The number of errors, at least 1.
    public var count: Int
    /// The length of the window in minutes, at least 1.
    public var minutes: Int

    public init(count: Int, minutes: Int) {
        self.count = count
        self.minutes = minutes
    }
}

/// An invalid configuration: the file, the key, and what is wrong with its value.
public struct ConfigError: Error, Sendable, Equatable, CustomStringConvertible {
    public var file: String
    /// The path of the offending key, such as `business_hours.start` or
    /// `trusted_networks[2]`. Empty when the problem is the whole file.
    public var key: String
    public var message: String

    public init(file: String, key: String, message: String) {
        self.file = file
        self.key = key
        self.message = message
    }

    public var description: String {
        key.isEmpty ? "\(file): \(message)" : "\(file): \(key): \(message)"
    }
}
