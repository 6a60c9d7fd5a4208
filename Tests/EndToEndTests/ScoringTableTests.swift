import Foundation
import Testing

// Each case is a short history of CloudTrail records plus one target record.
// The records go into one NDJSON file, history first. The real binary scans
// that file into a fresh database with the configuration below. The case
// lists every finding the target must produce: rule, score, severity and
// reasons exactly as stored.
//
// By default the target is a call by the IAM user alice in
// account 111122223333, from the trusted 203.0.113.10, in us-east-1, with
// the AWS CLI, on Wednesday 2026-06-10 at 10:00 local time. So it fires no
// signal and scores the rule's base score.

/// The account of every crafted record.
let testAccount = "111122223333"

/// The points of each signal in the test configuration. They differ from
/// the defaults so that the table proves the weights are read.
enum Points {
    static let ip = 30
    static let time = 15
    static let role = 25
    static let anomaly = 20
}

/// Returns the table's scoring configuration in the IANA zone `timeZone`.
///
/// The trusted networks replace the default private ranges, so 172.16.0.0/12
/// is untrusted here. 10.66.0.0/16 is suspicious although it lies inside the
/// trusted 10.0.0.0/8.
func scoringConfiguration(timeZone: String) -> String {
    """
    {
      "timezone": "\(timeZone)",
      "business_hours": { "days": ["Mon", "Tue", "Wed", "Thu", "Fri"], "start": "08:00", "end": "18:00" },
      "holidays": ["2026-12-25", "2026-01-26"],
      "trusted_networks": ["10.0.0.0/8", "203.0.113.0/24", "2001:db8:1::/48"],
      "suspicious_networks": ["10.66.0.0/16", "198.51.100.0/24", "2001:db8:bad::/48"],
      "sensitive_roles": ["*Admin*", "BreakGlass", "arn:aws:iam::*:role/ops-*-prod"],
      "weights": { "ip": \(Points.ip), "time": \(Points.time), "role": \(Points.role), "anomaly": \(Points.anomaly) },
      "learning_days": 3,
      "error_burst": { "count": 5, "minutes": 10 }
    }
    """
}

// MARK: - Crafted records

/// The `userIdentity` of a crafted record.
enum Identity: Sendable {
    case user(String)
    /// An assumed-role session whose session issuer is `roleARN`.
    case session(roleARN: String, name: String)
    case root
    /// An AWS service acting on the account's behalf, such as `cloudformation.amazonaws.com`.
    case service(String)

    /// Returns the JSON object of the identity in `account`.
    func json(account: String) -> [String: Any] {
        switch self {
        case .user(let name):
            return [
                "type": "IAMUser", "arn": "arn:aws:iam::\(account):user/\(name)", "accountId": account,
                "principalId": "AIDAEXAMPLE\(name.uppercased())", "userName": name,
            ]
        case .session(let roleARN, let name):
            let roleName = roleARN.split(separator: "/").last.map(String.init) ?? roleARN
            return [
                "type": "AssumedRole", "arn": "arn:aws:sts::\(account):assumed-role/\(roleName)/\(name)",
                "accountId": account, "principalId": "AROAEXAMPLE:\(name)",
                "sessionContext": [
                    "sessionIssuer": [
                        "type": "Role", "arn": roleARN, "accountId": account, "principalId": "AROAEXAMPLE",
                        "userName": roleName,
                    ],
                    "attributes": ["creationDate": "2026-01-01T00:00:00Z", "mfaAuthenticated": "false"],
                ],
            ]
        case .root:
            return [
                "type": "Root", "arn": "arn:aws:iam::\(account):root", "accountId": account,
                "principalId": account,
            ]
        case .service(let name):
            return ["type": "AWSService", "invokedBy": name]
        }
    }
}

/// Returns the ARN of role `name` in the test account.
func roleARN(_ name: String) -> String {
    "arn:aws:iam::\(testAccount):role/\(name)"
}

/// The API call of a crafted record, with the built-in rule it matches on its own.
enum APICall: Sendable {
    /// `iam:CreateUser`: IAMUserCreated, base score 30, when it succeeds.
    case createUser
    /// `sts:AssumeRole` of a role: AssumeRoleFromPublicAddress (30) from a
    /// public address, AssumeRoleFailed (25) with an error code.
    case assumeRole(String)
    /// `cloudtrail:StopLogging`: CloudTrailLoggingStopped, base score 75.
    case stopLogging
    /// `kms:ScheduleKeyDeletion`: KMSKeyDeletionScheduled, base score 55.
    case scheduleKeyDeletion
    /// A password-only console sign-in: ConsoleLoginWithoutMFA (40), and
    /// RootConsoleLogin (60) for the root user.
    case consoleLoginWithoutMFA
    /// `ec2:DescribeInstances`: no rule matches it, so it only feeds the baseline.
    case describeInstances
    /// `ec2:RunInstances`: no rule matches it, so it only feeds the baseline.
    case runInstances

    var eventSource: String {
        switch self {
        case .createUser: "iam.amazonaws.com"
        case .assumeRole: "sts.amazonaws.com"
        case .stopLogging: "cloudtrail.amazonaws.com"
        case .scheduleKeyDeletion: "kms.amazonaws.com"
        case .consoleLoginWithoutMFA: "signin.amazonaws.com"
        case .describeInstances, .runInstances: "ec2.amazonaws.com"
        }
    }

    var eventName: String {
        switch self {
        case .createUser: "CreateUser"
        case .assumeRole: "AssumeRole"
        case .stopLogging: "StopLogging"
        case .scheduleKeyDeletion: "ScheduleKeyDeletion"
        case .consoleLoginWithoutMFA: "ConsoleLogin"
        case .describeInstances: "DescribeInstances"
        case .runInstances: "RunInstances"
        }
    }
}

/// The user agent of the AWS CLI, family `aws-cli`.
let cliAgent = "aws-cli/2.15.0 Python/3.11.6 Linux/6.1.0 exe/x86_64"
let trustedIP = "203.0.113.10"
/// Wednesday 10:00 in New York (EDT).
let newYorkWorkday = "2026-06-10T14:00:00Z"

/// Builds one CloudTrail record as a line of JSON.
func record(
    _ id: String, _ call: APICall, at time: String = newYorkWorkday, by identity: Identity = .user("alice"),
    from sourceIPAddress: String = trustedIP, region: String = "us-east-1", agent: String = cliAgent,
    errorCode: String? = nil, account: String = testAccount
) -> String {
    var fields: [String: Any] = [
        "eventVersion": "1.09", "eventID": id, "eventTime": time, "eventType": "AwsApiCall",
        "eventSource": call.eventSource, "eventName": call.eventName, "awsRegion": region,
        "sourceIPAddress": sourceIPAddress, "userAgent": agent, "userIdentity": identity.json(account: account),
        "recipientAccountId": account, "readOnly": false, "managementEvent": true,
        "eventCategory": "Management",
    ]
    switch call {
    case .assumeRole(let role):
        fields["requestParameters"] = ["roleArn": role, "roleSessionName": "session-\(id)"]
    case .scheduleKeyDeletion:
        fields["requestParameters"] = ["keyId": "1234abcd-12ab-34cd-56ef-1234567890ab", "pendingWindowInDays": 7]
    case .createUser:
        fields["requestParameters"] = ["userName": "new-user-\(id)"]
    case .consoleLoginWithoutMFA:
        fields["eventType"] = "AwsConsoleSignIn"
        fields["responseElements"] = ["ConsoleLogin": "Success"]
        fields["additionalEventData"] = ["MFAUsed": "No", "MobileVersion": "No"]
    case .stopLogging, .describeInstances, .runInstances:
        break
    }
    if let errorCode {
        fields["errorCode"] = errorCode
        fields["errorMessage"] = "User is not authorized to perform \(call.eventName)"
    }

    let data = try! JSONSerialization.data(withJSONObject: fields, options: [.sortedKeys, .withoutEscapingSlashes])
    return String(decoding: data, as: UTF8.self)
}

// MARK: - Expectations

/// One element of a finding's `reasons` column.
struct StoredReason: Equatable, Sendable, CustomStringConvertible {
    var signal: String
    var points: Int
    var detail: String

    var description: String { "\(signal) +\(points): \(detail)" }
}

func ipReason(_ detail: String) -> StoredReason { StoredReason(signal: "ip", points: Points.ip, detail: detail) }
func timeReason(_ detail: String) -> StoredReason { StoredReason(signal: "time", points: Points.time, detail: detail) }
func roleReason(_ detail: String) -> StoredReason { StoredReason(signal: "role", points: Points.role, detail: detail) }
func anomalyReason(_ detail: String) -> StoredReason {
    StoredReason(signal: "anomaly", points: Points.anomaly, detail: detail)
}

/// A finding as stored in the findings table. The stored reasons start with
/// the rule's base score; `reasons` holds the signals after it and
/// `basePoints` the base score read from the stored rule reason.
struct StoredFinding: Equatable, Sendable, CustomStringConvertible {
    var rule: String
    var score: Int
    var severity: String
    var reasons: [StoredReason]
    var basePoints: Int?

    static func == (lhs: StoredFinding, rhs: StoredFinding) -> Bool {
        (lhs.rule, lhs.score, lhs.severity, lhs.reasons) == (rhs.rule, rhs.score, rhs.severity, rhs.reasons)
    }

    init(_ rule: String, _ score: Int, _ severity: String, _ reasons: [StoredReason] = []) {
        self.rule = rule
        self.score = score
        self.severity = severity
        self.reasons = reasons
    }

    /// Reads a row of (rule, score, severity, reasons).
    init(row: [String]) throws {
        let parsed = try JSONSerialization.jsonObject(with: Data(row[3].utf8))
        let elements = try #require(parsed as? [[String: Any]], "reasons is not an array of objects: \(row[3])")
        let reasons = try elements.map { element in
            StoredReason(
                signal: try #require(element["signal"] as? String, "signal missing in \(row[3])"),
                points: try #require(element["points"] as? Int, "points missing in \(row[3])"),
                detail: try #require(element["detail"] as? String, "detail missing in \(row[3])"))
        }
        let ruleReason = try #require(reasons.first, "no reasons in \(row[3])")
        #expect(ruleReason.signal == "rule")
        #expect(ruleReason.detail == "rule \(row[0]) matched")
        self.init(row[0], Int(row[1]) ?? -1, row[2], Array(reasons.dropFirst()))
        basePoints = ruleReason.points
    }

    var description: String { "\(rule) \(score) \(severity) \(reasons)" }
}

/// A time zone of the table's configuration.
enum Zone: String, Sendable {
    case newYork = "America/New_York"
    case sydney = "Australia/Sydney"
}

/// One row of the table: records to scan and the findings of the target.
struct ScoringCase: Sendable, CustomTestStringConvertible {
    var name: String
    var zone: Zone = .newYork
    /// Records scanned together with the target and written before it.
    var history: [String] = []
    var targetID: String
    var target: String
    /// Every finding of the target event, ordered by rule.
    var expected: [StoredFinding]

    var testDescription: String { name }
}

// MARK: - The table

extension ScoringCase {
    static let quiet: [ScoringCase] = [
        ScoringCase(
            name: "workday call from a trusted network scores the base score",
            targetID: "quiet", target: record("quiet", .createUser),
            expected: [StoredFinding("IAMUserCreated", 30, "low")]),
    ]

    /// Business hours, weekends and holidays, and daylight saving time in
    /// both hemispheres. New York moves from UTC-5 to UTC-4 on 2026-03-08
    /// and back on 2026-11-01; Sydney moves from UTC+11 to UTC+10 on
    /// 2026-04-05 and back on 2026-10-04.
    static let time: [ScoringCase] = [
        ScoringCase(
            name: "07:59 local is before business hours",
            targetID: "t0759", target: record("t0759", .createUser, at: "2026-06-10T11:59:00Z"),
            expected: [
                StoredFinding("IAMUserCreated", 45, "medium", [timeReason("Wed 07:59 America/New_York (outside Mon-Fri 08:00-18:00)")]),
            ]),
        ScoringCase(
            name: "08:00 local opens business hours",
            targetID: "t0800", target: record("t0800", .createUser, at: "2026-06-10T12:00:00Z"),
            expected: [StoredFinding("IAMUserCreated", 30, "low")]),
        ScoringCase(
            name: "17:59:59 local is still business hours",
            targetID: "t1759", target: record("t1759", .createUser, at: "2026-06-10T21:59:59Z"),
            expected: [StoredFinding("IAMUserCreated", 30, "low")]),
        ScoringCase(
            name: "18:00 local closes business hours",
            targetID: "t1800", target: record("t1800", .createUser, at: "2026-06-10T22:00:00Z"),
            expected: [
                StoredFinding("IAMUserCreated", 45, "medium", [timeReason("Wed 18:00 America/New_York (outside Mon-Fri 08:00-18:00)")]),
            ]),
        ScoringCase(
            name: "Saturday morning is outside business hours",
            targetID: "sat", target: record("sat", .createUser, at: "2026-06-13T14:00:00Z"),
            expected: [
                StoredFinding("IAMUserCreated", 45, "medium", [timeReason("Sat 10:00 America/New_York (outside Mon-Fri 08:00-18:00)")]),
            ]),
        ScoringCase(
            name: "workday hour on a holiday",
            targetID: "xmas", target: record("xmas", .createUser, at: "2026-12-25T15:00:00Z"),
            expected: [
                StoredFinding("IAMUserCreated", 45, "medium", [timeReason("Fri 10:00 America/New_York (holiday 2026-12-25)")]),
            ]),
        ScoringCase(
            name: "New York 12:30Z before spring forward is 07:30",
            targetID: "ny-mar-before", target: record("ny-mar-before", .createUser, at: "2026-03-06T12:30:00Z"),
            expected: [
                StoredFinding("IAMUserCreated", 45, "medium", [timeReason("Fri 07:30 America/New_York (outside Mon-Fri 08:00-18:00)")]),
            ]),
        ScoringCase(
            name: "New York 12:30Z after spring forward is 08:30",
            targetID: "ny-mar-after", target: record("ny-mar-after", .createUser, at: "2026-03-09T12:30:00Z"),
            expected: [StoredFinding("IAMUserCreated", 30, "low")]),
        ScoringCase(
            name: "New York last minute of EST",
            targetID: "ny-mar-0159", target: record("ny-mar-0159", .createUser, at: "2026-03-08T06:59:00Z"),
            expected: [
                StoredFinding("IAMUserCreated", 45, "medium", [timeReason("Sun 01:59 America/New_York (outside Mon-Fri 08:00-18:00)")]),
            ]),
        ScoringCase(
            name: "New York first minute of EDT",
            targetID: "ny-mar-0300", target: record("ny-mar-0300", .createUser, at: "2026-03-08T07:00:00Z"),
            expected: [
                StoredFinding("IAMUserCreated", 45, "medium", [timeReason("Sun 03:00 America/New_York (outside Mon-Fri 08:00-18:00)")]),
            ]),
        ScoringCase(
            name: "New York 22:30Z before fall back is 18:30",
            targetID: "ny-nov-before", target: record("ny-nov-before", .createUser, at: "2026-10-30T22:30:00Z"),
            expected: [
                StoredFinding("IAMUserCreated", 45, "medium", [timeReason("Fri 18:30 America/New_York (outside Mon-Fri 08:00-18:00)")]),
            ]),
        ScoringCase(
            name: "New York 22:30Z after fall back is 17:30",
            targetID: "ny-nov-after", target: record("ny-nov-after", .createUser, at: "2026-11-02T22:30:00Z"),
            expected: [StoredFinding("IAMUserCreated", 30, "low")]),
        ScoringCase(
            name: "New York last minute of EDT",
            targetID: "ny-nov-0159", target: record("ny-nov-0159", .createUser, at: "2026-11-01T05:59:00Z"),
            expected: [
                StoredFinding("IAMUserCreated", 45, "medium", [timeReason("Sun 01:59 America/New_York (outside Mon-Fri 08:00-18:00)")]),
            ]),
        ScoringCase(
            name: "New York first minute of EST repeats 01:00",
            targetID: "ny-nov-0100", target: record("ny-nov-0100", .createUser, at: "2026-11-01T06:00:00Z"),
            expected: [
                StoredFinding("IAMUserCreated", 45, "medium", [timeReason("Sun 01:00 America/New_York (outside Mon-Fri 08:00-18:00)")]),
            ]),
        ScoringCase(
            name: "Sydney 21:30Z before April change is 08:30",
            zone: .sydney, targetID: "syd-apr-before", target: record("syd-apr-before", .createUser, at: "2026-04-01T21:30:00Z"),
            expected: [StoredFinding("IAMUserCreated", 30, "low")]),
        ScoringCase(
            name: "Sydney 21:30Z after April change is 07:30",
            zone: .sydney, targetID: "syd-apr-after", target: record("syd-apr-after", .createUser, at: "2026-04-06T21:30:00Z"),
            expected: [
                StoredFinding("IAMUserCreated", 45, "medium", [timeReason("Tue 07:30 Australia/Sydney (outside Mon-Fri 08:00-18:00)")]),
            ]),
        ScoringCase(
            name: "Sydney last minute of AEDT",
            zone: .sydney, targetID: "syd-apr-0259", target: record("syd-apr-0259", .createUser, at: "2026-04-04T15:59:00Z"),
            expected: [
                StoredFinding("IAMUserCreated", 45, "medium", [timeReason("Sun 02:59 Australia/Sydney (outside Mon-Fri 08:00-18:00)")]),
            ]),
        ScoringCase(
            name: "Sydney first minute of AEST repeats 02:00",
            zone: .sydney, targetID: "syd-apr-0200", target: record("syd-apr-0200", .createUser, at: "2026-04-04T16:00:00Z"),
            expected: [
                StoredFinding("IAMUserCreated", 45, "medium", [timeReason("Sun 02:00 Australia/Sydney (outside Mon-Fri 08:00-18:00)")]),
            ]),
        ScoringCase(
            name: "Sydney 21:30Z before October change is 07:30",
            zone: .sydney, targetID: "syd-oct-before", target: record("syd-oct-before", .createUser, at: "2026-10-01T21:30:00Z"),
            expected: [
                StoredFinding("IAMUserCreated", 45, "medium", [timeReason("Fri 07:30 Australia/Sydney (outside Mon-Fri 08:00-18:00)")]),
            ]),
        ScoringCase(
            name: "Sydney 21:30Z after October change is 08:30",
            zone: .sydney, targetID: "syd-oct-after", target: record("syd-oct-after", .createUser, at: "2026-10-06T21:30:00Z"),
            expected: [StoredFinding("IAMUserCreated", 30, "low")]),
        ScoringCase(
            name: "Sydney last minute of AEST",
            zone: .sydney, targetID: "syd-oct-0159", target: record("syd-oct-0159", .createUser, at: "2026-10-03T15:59:00Z"),
            expected: [
                StoredFinding("IAMUserCreated", 45, "medium", [timeReason("Sun 01:59 Australia/Sydney (outside Mon-Fri 08:00-18:00)")]),
            ]),
        ScoringCase(
            name: "Sydney first minute of AEDT",
            zone: .sydney, targetID: "syd-oct-0300", target: record("syd-oct-0300", .createUser, at: "2026-10-03T16:00:00Z"),
            expected: [
                StoredFinding("IAMUserCreated", 45, "medium", [timeReason("Sun 03:00 Australia/Sydney (outside Mon-Fri 08:00-18:00)")]),
            ]),
        ScoringCase(
            name: "Sydney holiday is a local date",
            zone: .sydney, targetID: "syd-holiday", target: record("syd-holiday", .createUser, at: "2026-01-25T22:00:00Z"),
            expected: [
                StoredFinding("IAMUserCreated", 45, "medium", [timeReason("Mon 09:00 Australia/Sydney (holiday 2026-01-26)")]),
            ]),
        ScoringCase(
            name: "Sydney day after the holiday",
            zone: .sydney, targetID: "syd-after-holiday",
            target: record("syd-after-holiday", .createUser, at: "2026-01-26T22:00:00Z"),
            expected: [StoredFinding("IAMUserCreated", 30, "low")]),
    ]

    static let ip: [ScoringCase] = [
        ScoringCase(
            name: "public IPv4 address",
            targetID: "ip-public", target: record("ip-public", .createUser, from: "192.0.2.44"),
            expected: [StoredFinding("IAMUserCreated", 60, "medium", [ipReason("192.0.2.44 is outside the trusted networks")])]),
        ScoringCase(
            name: "suspicious network inside a trusted one",
            targetID: "ip-suspicious-trusted", target: record("ip-suspicious-trusted", .createUser, from: "10.66.3.4"),
            expected: [
                StoredFinding("IAMUserCreated", 60, "medium", [ipReason("10.66.3.4 is in suspicious network 10.66.0.0/16")]),
            ]),
        ScoringCase(
            name: "suspicious public network",
            targetID: "ip-suspicious", target: record("ip-suspicious", .createUser, from: "198.51.100.23"),
            expected: [
                StoredFinding("IAMUserCreated", 60, "medium", [ipReason("198.51.100.23 is in suspicious network 198.51.100.0/24")]),
            ]),
        ScoringCase(
            name: "configured trusted networks replace the private defaults",
            targetID: "ip-172", target: record("ip-172", .createUser, from: "172.16.5.5"),
            expected: [StoredFinding("IAMUserCreated", 60, "medium", [ipReason("172.16.5.5 is outside the trusted networks")])]),
        ScoringCase(
            name: "IPv6 address in a trusted /48",
            targetID: "ip6-trusted", target: record("ip6-trusted", .createUser, from: "2001:db8:1:42::7"),
            expected: [StoredFinding("IAMUserCreated", 30, "low")]),
        ScoringCase(
            name: "IPv6 address outside the trusted networks",
            targetID: "ip6-public", target: record("ip6-public", .createUser, from: "2001:db8:2::7"),
            expected: [
                StoredFinding("IAMUserCreated", 60, "medium", [ipReason("2001:db8:2::7 is outside the trusted networks")]),
            ]),
        ScoringCase(
            name: "IPv6 address in a suspicious network",
            targetID: "ip6-suspicious", target: record("ip6-suspicious", .createUser, from: "2001:db8:bad:1::9"),
            expected: [
                StoredFinding("IAMUserCreated", 60, "medium", [ipReason("2001:db8:bad:1::9 is in suspicious network 2001:db8:bad::/48")]),
            ]),
        ScoringCase(
            name: "IPv4-mapped IPv6 in a trusted IPv4 network",
            targetID: "mapped-trusted", target: record("mapped-trusted", .createUser, from: "::ffff:203.0.113.9"),
            expected: [StoredFinding("IAMUserCreated", 30, "low")]),
        ScoringCase(
            name: "IPv4-mapped IPv6 in a suspicious IPv4 network",
            targetID: "mapped-suspicious", target: record("mapped-suspicious", .createUser, from: "::ffff:198.51.100.4"),
            expected: [
                StoredFinding("IAMUserCreated", 60, "medium", [ipReason("::ffff:198.51.100.4 is in suspicious network 198.51.100.0/24")]),
            ]),
        ScoringCase(
            name: "IPv4-mapped IPv6 of a public address",
            targetID: "mapped-public", target: record("mapped-public", .createUser, from: "::ffff:192.0.2.1"),
            expected: [
                StoredFinding("IAMUserCreated", 60, "medium", [ipReason("::ffff:192.0.2.1 is outside the trusted networks")]),
            ]),
        ScoringCase(
            name: "service name source never fires ip",
            targetID: "ip-ec2", target: record("ip-ec2", .stopLogging, from: "ec2.amazonaws.com"),
            expected: [StoredFinding("CloudTrailLoggingStopped", 75, "high")]),
        ScoringCase(
            name: "AWS Internal source never fires ip",
            targetID: "ip-internal", target: record("ip-internal", .stopLogging, from: "AWS Internal", agent: "AWS Internal"),
            expected: [StoredFinding("CloudTrailLoggingStopped", 75, "high")]),
        ScoringCase(
            name: "AssumeRole from a public address",
            targetID: "assume-public", target: record("assume-public", .assumeRole(roleARN("ReadOnly")), from: "192.0.2.9"),
            expected: [
                StoredFinding("AssumeRoleFromPublicAddress", 60, "medium", [ipReason("192.0.2.9 is outside the trusted networks")]),
            ]),
    ]

    static let role: [ScoringCase] = [
        ScoringCase(
            name: "root console sign-in without MFA",
            targetID: "root-login", target: record("root-login", .consoleLoginWithoutMFA, by: .root),
            expected: [
                StoredFinding("ConsoleLoginWithoutMFA", 65, "medium", [roleReason("Root identity")]),
                StoredFinding("RootConsoleLogin", 85, "high", [roleReason("Root identity")]),
            ]),
        ScoringCase(
            name: "assumed role matches a glob",
            targetID: "assume-admin",
            target: record("assume-admin", .assumeRole(roleARN("OrgAdmin")), from: "192.0.2.9"),
            expected: [
                StoredFinding(
                    "AssumeRoleFromPublicAddress", 85, "high",
                    [
                        ipReason("192.0.2.9 is outside the trusted networks"),
                        roleReason("role arn:aws:iam::111122223333:role/OrgAdmin matches *Admin*"),
                    ]),
            ]),
        ScoringCase(
            name: "chained session's issuer matches",
            targetID: "chain-issuer",
            target: record(
                "chain-issuer", .assumeRole(roleARN("ReadOnly")),
                by: .session(roleARN: roleARN("ops-deploy-prod"), name: "pipeline")),
            expected: [
                StoredFinding(
                    "AssumeRoleFromPublicAddress", 55, "medium",
                    [
                        roleReason(
                            "session issuer arn:aws:iam::111122223333:role/ops-deploy-prod matches arn:aws:iam::*:role/ops-*-prod"
                        ),
                    ]),
            ]),
        ScoringCase(
            name: "chained session's requested role wins",
            targetID: "chain-both",
            target: record(
                "chain-both", .assumeRole(roleARN("BreakGlass")),
                by: .session(roleARN: roleARN("ops-deploy-prod"), name: "pipeline")),
            expected: [
                StoredFinding(
                    "AssumeRoleFromPublicAddress", 55, "medium",
                    [roleReason("role arn:aws:iam::111122223333:role/BreakGlass matches BreakGlass")]),
            ]),
        ScoringCase(
            name: "role name matches without case",
            targetID: "role-case", target: record("role-case", .assumeRole(roleARN("breakglass"))),
            expected: [
                StoredFinding(
                    "AssumeRoleFromPublicAddress", 55, "medium",
                    [roleReason("role arn:aws:iam::111122223333:role/breakglass matches BreakGlass")]),
            ]),
        ScoringCase(
            name: "starless pattern needs the whole name",
            targetID: "role-longer", target: record("role-longer", .assumeRole(roleARN("BreakGlassReadOnly"))),
            expected: [StoredFinding("AssumeRoleFromPublicAddress", 30, "low")]),
        ScoringCase(
            name: "ARN glob matches another account",
            targetID: "role-other-account",
            target: record(
                "role-other-account", .scheduleKeyDeletion,
                by: .session(roleARN: "arn:aws:iam::444455556666:role/ops-db-prod", name: "cleanup")),
            expected: [
                StoredFinding(
                    "KMSKeyDeletionScheduled", 80, "high",
                    [roleReason("session issuer arn:aws:iam::444455556666:role/ops-db-prod matches arn:aws:iam::*:role/ops-*-prod")]),
            ]),
        ScoringCase(
            name: "ARN glob needs its middle part",
            targetID: "role-no-middle",
            target: record("role-no-middle", .scheduleKeyDeletion, by: .session(roleARN: roleARN("ops-prod"), name: "cleanup")),
            expected: [StoredFinding("KMSKeyDeletionScheduled", 55, "medium")]),
        ScoringCase(
            name: "score is capped at 100",
            targetID: "cap",
            target: record("cap", .stopLogging, at: "2026-06-13T14:00:00Z", by: .root, from: "198.51.100.7"),
            expected: [
                StoredFinding(
                    "CloudTrailLoggingStopped", 100, "critical",
                    [
                        ipReason("198.51.100.7 is in suspicious network 198.51.100.0/24"),
                        timeReason("Sat 10:00 America/New_York (outside Mon-Fri 08:00-18:00)"),
                        roleReason("Root identity"),
                    ]),
                // Any call by Root also matches RootActivity.
                StoredFinding(
                    "RootActivity", 100, "critical",
                    [
                        ipReason("198.51.100.7 is in suspicious network 198.51.100.0/24"),
                        timeReason("Sat 10:00 America/New_York (outside Mon-Fri 08:00-18:00)"),
                        roleReason("Root identity"),
                    ]),
            ]),
    ]
}

// MARK: - Anomaly cases

/// Monday 2026-06-08 10:00 in New York: the first event of the account.
/// With `learning_days` 3 its learning period ends at 2026-06-11T14:00:00Z.
let accountOpening = "2026-06-08T14:00:00Z"
let aliceARN = "arn:aws:iam::111122223333:user/alice"
let malloryARN = "arn:aws:iam::111122223333:user/mallory"

/// Alice's routine during the learning period: EC2 reads and one CreateUser
/// from 203.0.113.10 in us-east-1 with the AWS CLI.
let aliceRoutine = [
    record("routine-1", .describeInstances, at: accountOpening, agent: "aws-cli/2.13.0 Python/3.11.4"),
    record("routine-2", .createUser, at: "2026-06-08T15:00:00Z"),
    record("routine-3", .describeInstances, at: "2026-06-09T15:00:00Z", from: "2001:db8:1:1::5"),
]

/// Mallory's history for the error bursts: one allowed AssumeRole from
/// 10.1.2.3 during learning, so later calls from there are not new.
let malloryRoutine = [
    record("mallory-0", .assumeRole(roleARN("ReadOnly")), at: accountOpening, by: .user("mallory"), from: "10.1.2.3")
]

/// Builds an AssumeRole by mallory that AWS rejected with `errorCode`.
func deniedAssumeRole(_ id: String, at time: String, errorCode: String = "AccessDenied", from ip: String = "10.1.2.3")
    -> String
{
    record(id, .assumeRole(roleARN("ReadOnly")), at: time, by: .user("mallory"), from: ip, errorCode: errorCode)
}

let burstDetail =
    "error burst: 5 access-denied errors by arn:aws:iam::111122223333:user/mallory in the 10 minutes up to this event"

extension ScoringCase {
    static let anomaly: [ScoringCase] = [
        ScoringCase(
            name: "learning ends exactly learning_days after",
            history: [record("open", .describeInstances, at: accountOpening)],
            targetID: "learned", target: record("learned", .createUser, at: "2026-06-11T14:00:00Z"),
            expected: [
                StoredFinding("IAMUserCreated", 50, "medium", [anomalyReason("first seen for \(aliceARN): eventName CreateUser")]),
            ]),
        ScoringCase(
            name: "one second before learning ends",
            history: [record("open", .describeInstances, at: accountOpening)],
            targetID: "learning", target: record("learning", .createUser, at: "2026-06-11T13:59:59Z"),
            expected: [StoredFinding("IAMUserCreated", 30, "low")]),
        ScoringCase(
            name: "known behaviour after learning",
            history: aliceRoutine,
            targetID: "known", target: record("known", .createUser, at: "2026-06-12T14:00:00Z", from: "203.0.113.77"),
            expected: [StoredFinding("IAMUserCreated", 30, "low")]),
        ScoringCase(
            name: "first IPv4 /24 after learning",
            history: aliceRoutine,
            targetID: "new-net", target: record("new-net", .createUser, at: "2026-06-12T14:00:00Z", from: "10.20.30.40"),
            expected: [
                StoredFinding("IAMUserCreated", 50, "medium", [anomalyReason("first seen for \(aliceARN): network 10.20.30.0/24")]),
            ]),
        ScoringCase(
            name: "new IPv6 host in a known /48",
            history: aliceRoutine,
            targetID: "known-net6", target: record("known-net6", .createUser, at: "2026-06-12T14:00:00Z", from: "2001:db8:1:9::1"),
            expected: [StoredFinding("IAMUserCreated", 30, "low")]),
        ScoringCase(
            name: "known /48 written with leading zeros and in capitals",
            history: aliceRoutine,
            targetID: "known-net6-spelling",
            target: record("known-net6-spelling", .createUser, at: "2026-06-12T14:00:00Z", from: "2001:0DB8:0001:0:0:0:0:7"),
            expected: [StoredFinding("IAMUserCreated", 30, "low")]),
        ScoringCase(
            name: "IPv4-mapped address in a known /24",
            history: aliceRoutine,
            targetID: "known-net-mapped",
            target: record("known-net-mapped", .createUser, at: "2026-06-12T14:00:00Z", from: "::ffff:203.0.113.200"),
            expected: [StoredFinding("IAMUserCreated", 30, "low")]),
        ScoringCase(
            name: "first IPv6 /48 after learning",
            history: aliceRoutine,
            targetID: "new-net6", target: record("new-net6", .createUser, at: "2026-06-12T14:00:00Z", from: "2001:db8:2:5::9"),
            expected: [
                StoredFinding(
                    "IAMUserCreated", 80, "high",
                    [
                        ipReason("2001:db8:2:5::9 is outside the trusted networks"),
                        anomalyReason("first seen for \(aliceARN): network 2001:db8:2::/48"),
                    ]),
            ]),
        ScoringCase(
            name: "first region after learning",
            history: aliceRoutine,
            targetID: "new-region", target: record("new-region", .createUser, at: "2026-06-12T14:00:00Z", region: "eu-west-1"),
            expected: [
                StoredFinding("IAMUserCreated", 50, "medium", [anomalyReason("first seen for \(aliceARN): region eu-west-1")]),
            ]),
        ScoringCase(
            name: "first user-agent family after learning",
            history: aliceRoutine,
            targetID: "new-agent",
            target: record(
                "new-agent", .createUser, at: "2026-06-12T14:00:00Z",
                agent: "Boto3/1.34.0 md/Botocore#1.34.0 ua/2.0 os/linux#6.1 lang/python#3.11.6"),
            expected: [
                StoredFinding("IAMUserCreated", 50, "medium", [anomalyReason("first seen for \(aliceARN): user-agent family boto3")]),
            ]),
        ScoringCase(
            name: "new version of a known user-agent family",
            history: aliceRoutine,
            targetID: "new-version",
            target: record("new-version", .createUser, at: "2026-06-12T14:00:00Z", agent: "aws-cli/2.17.1 Python/3.12.1"),
            expected: [StoredFinding("IAMUserCreated", 30, "low")]),
        ScoringCase(
            name: "every key new for a new principal",
            history: aliceRoutine,
            targetID: "bob", target: record("bob", .createUser, at: "2026-06-12T14:00:00Z", by: .user("bob")),
            expected: [
                StoredFinding(
                    "IAMUserCreated", 50, "medium",
                    [
                        anomalyReason(
                            "first seen for arn:aws:iam::111122223333:user/bob: network 203.0.113.0/24, region us-east-1, "
                                + "eventName CreateUser, user-agent family aws-cli"),
                    ]),
            ]),
        ScoringCase(
            name: "session issuer is the principal",
            history: [
                record("deploy-1", .describeInstances, at: accountOpening, by: .session(roleARN: roleARN("deployer"), name: "ci-1")),
            ],
            targetID: "deploy-stop",
            target: record(
                "deploy-stop", .stopLogging, at: "2026-06-12T14:00:00Z", by: .session(roleARN: roleARN("deployer"), name: "ci-2")),
            expected: [
                StoredFinding(
                    "CloudTrailLoggingStopped", 95, "critical",
                    [anomalyReason("first seen for arn:aws:iam::111122223333:role/deployer: eventName StopLogging")]),
            ]),
        ScoringCase(
            name: "first seen follows event time, not file order",
            history: aliceRoutine + [record("later-same-net", .createUser, at: "2026-06-13T14:00:00Z", from: "10.20.30.41")],
            targetID: "earlier-net", target: record("earlier-net", .createUser, at: "2026-06-12T14:00:00Z", from: "10.20.30.40"),
            expected: [
                StoredFinding("IAMUserCreated", 50, "medium", [anomalyReason("first seen for \(aliceARN): network 10.20.30.0/24")]),
            ]),
        ScoringCase(
            name: "same-second tie goes to the smaller eventID",
            history: aliceRoutine + [record("tie-a", .describeInstances, at: "2026-06-12T14:00:00Z", from: "10.20.30.41")],
            targetID: "tie-b", target: record("tie-b", .createUser, at: "2026-06-12T14:00:00Z", from: "10.20.30.40"),
            expected: [StoredFinding("IAMUserCreated", 30, "low")]),
        ScoringCase(
            name: "AWS service identity has no baseline",
            history: [record("open", .describeInstances, at: accountOpening)],
            targetID: "service-stop",
            target: record(
                "service-stop", .stopLogging, at: "2026-06-12T14:00:00Z", by: .service("cloudformation.amazonaws.com"),
                from: "cloudformation.amazonaws.com", agent: "cloudformation.amazonaws.com"),
            expected: [StoredFinding("CloudTrailLoggingStopped", 75, "high")]),
    ]

    /// Error bursts start on Friday 2026-06-12 at 14:00:00Z, after mallory's
    /// learning period.
    static let errorBurst: [ScoringCase] = [
        ScoringCase(
            name: "fifth access-denied error in 10 minutes",
            history: malloryRoutine + [
                deniedAssumeRole("deny-1", at: "2026-06-12T14:00:00Z"),
                deniedAssumeRole("deny-2", at: "2026-06-12T14:02:00Z"),
                deniedAssumeRole("deny-3", at: "2026-06-12T14:04:00Z"),
                deniedAssumeRole("deny-4", at: "2026-06-12T14:06:00Z"),
            ],
            targetID: "deny-5", target: deniedAssumeRole("deny-5", at: "2026-06-12T14:09:59Z"),
            expected: [StoredFinding("AssumeRoleFailed", 45, "medium", [anomalyReason(burstDetail)])]),
        ScoringCase(
            name: "fourth access-denied error is no burst",
            history: malloryRoutine + [
                deniedAssumeRole("deny-1", at: "2026-06-12T14:00:00Z"),
                deniedAssumeRole("deny-2", at: "2026-06-12T14:02:00Z"),
                deniedAssumeRole("deny-3", at: "2026-06-12T14:04:00Z"),
            ],
            targetID: "deny-4", target: deniedAssumeRole("deny-4", at: "2026-06-12T14:06:00Z"),
            expected: [StoredFinding("AssumeRoleFailed", 25, "low")]),
        ScoringCase(
            name: "error exactly 10 minutes old leaves the window",
            history: malloryRoutine + [
                deniedAssumeRole("deny-1", at: "2026-06-12T14:00:00Z"),
                deniedAssumeRole("deny-2", at: "2026-06-12T14:02:00Z"),
                deniedAssumeRole("deny-3", at: "2026-06-12T14:04:00Z"),
                deniedAssumeRole("deny-4", at: "2026-06-12T14:06:00Z"),
            ],
            targetID: "deny-5", target: deniedAssumeRole("deny-5", at: "2026-06-12T14:10:00Z"),
            expected: [StoredFinding("AssumeRoleFailed", 25, "low")]),
        ScoringCase(
            name: "denied calls of other services count",
            history: malloryRoutine + [
                record("ec2-1", .runInstances, at: "2026-06-12T14:00:00Z", by: .user("mallory"), from: "10.1.2.3",
                       errorCode: "Client.UnauthorizedOperation"),
                record("ec2-2", .runInstances, at: "2026-06-12T14:01:00Z", by: .user("mallory"), from: "10.1.2.3",
                       errorCode: "Client.UnauthorizedOperation"),
                deniedAssumeRole("deny-3", at: "2026-06-12T14:02:00Z"),
                deniedAssumeRole("deny-4", at: "2026-06-12T14:03:00Z"),
            ],
            targetID: "deny-5", target: deniedAssumeRole("deny-5", at: "2026-06-12T14:04:00Z"),
            expected: [StoredFinding("AssumeRoleFailed", 45, "medium", [anomalyReason(burstDetail)])]),
        ScoringCase(
            name: "throttling errors do not count",
            history: malloryRoutine + [
                deniedAssumeRole("throttled-1", at: "2026-06-12T14:00:00Z", errorCode: "ThrottlingException"),
                deniedAssumeRole("throttled-2", at: "2026-06-12T14:01:00Z", errorCode: "ThrottlingException"),
                deniedAssumeRole("deny-3", at: "2026-06-12T14:02:00Z"),
                deniedAssumeRole("deny-4", at: "2026-06-12T14:03:00Z"),
            ],
            targetID: "deny-5", target: deniedAssumeRole("deny-5", at: "2026-06-12T14:04:00Z"),
            expected: [StoredFinding("AssumeRoleFailed", 25, "low")]),
        ScoringCase(
            name: "burst from a new network gives one reason",
            history: malloryRoutine + [
                deniedAssumeRole("deny-1", at: "2026-06-12T14:00:00Z"),
                deniedAssumeRole("deny-2", at: "2026-06-12T14:02:00Z"),
                deniedAssumeRole("deny-3", at: "2026-06-12T14:04:00Z"),
                deniedAssumeRole("deny-4", at: "2026-06-12T14:06:00Z"),
            ],
            targetID: "deny-5", target: deniedAssumeRole("deny-5", at: "2026-06-12T14:08:00Z", from: "10.9.9.9"),
            expected: [
                StoredFinding(
                    "AssumeRoleFailed", 45, "medium",
                    [anomalyReason("first seen for \(malloryARN): network 10.9.9.0/24; " + burstDetail)]),
            ]),
        ScoringCase(
            name: "burst inside the learning period",
            history: malloryRoutine + [
                deniedAssumeRole("deny-1", at: "2026-06-09T14:00:00Z"),
                deniedAssumeRole("deny-2", at: "2026-06-09T14:01:00Z"),
                deniedAssumeRole("deny-3", at: "2026-06-09T14:02:00Z"),
                deniedAssumeRole("deny-4", at: "2026-06-09T14:03:00Z"),
            ],
            targetID: "deny-5", target: deniedAssumeRole("deny-5", at: "2026-06-09T14:04:00Z"),
            expected: [StoredFinding("AssumeRoleFailed", 25, "low")]),
    ]

    static let all = quiet + time + ip + role + anomaly + errorBurst
}

// MARK: - Tests

@Suite("Risk scores of crafted records")
struct ScoringTableTests {
    @Test("stored score and reasons", arguments: ScoringCase.all)
    func storedScore(_ scoringCase: ScoringCase) throws {
        let folder = try TemporaryFolder()
        let configuration = folder.path("trailscan.json")
        let events = folder.path("events.ndjson")
        let database = folder.path("findings.db")
        try scoringConfiguration(timeZone: scoringCase.zone.rawValue).write(toFile: configuration, atomically: true, encoding: .utf8)
        let lines = scoringCase.history + [scoringCase.target]
        try (lines.joined(separator: "\n") + "\n").write(toFile: events, atomically: true, encoding: .utf8)

        let result = try Trailscan.run(["scan", events, "--db", database, "--config", configuration, "--jobs", "1"])
        #expect(result.status == 0, "stderr: \(result.standardError)")

        let rows = try Database(database).rows(
            "SELECT rule, score, severity, reasons FROM findings WHERE event_id = '\(scoringCase.targetID)' ORDER BY rule")
        let findings = try rows.map(StoredFinding.init(row:))
        #expect(findings == scoringCase.expected)
        for finding in findings {
            #expect(finding.basePoints == Self.baseScores[finding.rule], "base score of \(finding.rule)")
        }
    }

    static let baseScores = [
        "IAMUserCreated": 30, "AssumeRoleFromPublicAddress": 30, "AssumeRoleFailed": 25, "CloudTrailLoggingStopped": 75,
        "KMSKeyDeletionScheduled": 55, "ConsoleLoginWithoutMFA": 40, "RootConsoleLogin": 60, "RootActivity": 50,
    ]

    @Test("table scores follow the formula", arguments: ScoringCase.all)
    func scoresFollowFormula(_ scoringCase: ScoringCase) {
        let baseScores = Self.baseScores
        for finding in scoringCase.expected {
            let base = baseScores[finding.rule] ?? -1000
            #expect(finding.score == min(100, base + finding.reasons.reduce(0) { $0 + $1.points }), "\(finding.rule)")
        }
    }

    @Test("table has enough cases")
    func tableSize() {
        #expect(ScoringCase.all.count >= 30)
        #expect(Set(ScoringCase.all.map(\.name)).count == ScoringCase.all.count)
    }
}
