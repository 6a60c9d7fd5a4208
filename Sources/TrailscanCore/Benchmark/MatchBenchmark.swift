import EventPatterns
import Foundation

/// Measures matching alone: records per second through `PatternMatcher`
/// with generated rule sets of several sizes over the same records.
///
/// Records are read and flattened once per rule set (the field scanner's
/// cost depends on the paths the rules read, so it is excluded), then
/// matched repeatedly for at least `minimumSeconds`.
public struct MatchBenchmark {
    public struct Result: Sendable {
        public var ruleCount: Int
        public var records: Int
        public var seconds: Double
        public var matches: Int
        public var matcherSummary: String

        public var recordsPerSecond: Double { Double(records) / seconds }
    }

    let records: [[UInt8]]
    let minimumSeconds: Double

    /// Loads every record of the given files (any input shape, gzip or not).
    public init(paths: [String], minimumSeconds: Double = 1.0) throws {
        var records: [[UInt8]] = []
        for file in InputDiscovery(paths: paths).files where file.kind == .log {
            let reader = RecordReader(source: try DecompressingReader(path: file.path))
            while let record = try reader.next() {
                records.append(Array(record.bytes))
            }
        }
        self.records = records
        self.minimumSeconds = minimumSeconds
    }

    public var recordCount: Int { records.count }

    /// Runs the benchmark with `ruleCount` generated patterns.
    public func run(ruleCount: Int) throws -> Result {
        let patterns = try GeneratedRules.patterns(count: ruleCount)
        let matcher = PatternMatcher(patterns)
        var scanner = FieldScanner(trie: FieldTrie(matcherPaths: matcher.fieldPaths))
        var events: [FlatEvent] = []
        for record in records {
            let isScanned = record.withUnsafeBufferPointer { bytes in (try? scanner.scan(bytes)) != nil }
            if isScanned { events.append(scanner.event) }
        }

        var workspace = PatternMatcher.Workspace()
        var hits: [Int] = []
        var matched = 0
        var processed = 0
        let start = Date()
        var elapsed = 0.0
        repeat {
            for event in events {
                hits.removeAll(keepingCapacity: true)
                matcher.matchingPatterns(in: event, into: &hits, using: &workspace)
                matched += hits.count
            }
            processed += events.count
            elapsed = Date().timeIntervalSince(start)
        } while elapsed < minimumSeconds
        return Result(ruleCount: ruleCount, records: processed, seconds: elapsed, matches: matched, matcherSummary: matcher.summary)
    }
}

/// Detection-style patterns for benchmarks: each names an event source and
/// one or two event names, and most add a second condition (an error code,
/// an identity type, a prefix on the caller's ARN, an address range or an
/// exclusion), as real detection rules do. The first patterns use the event
/// names seen most in CloudTrail, so they match real records.
public enum GeneratedRules {
    static let services = [
        "ec2", "s3", "iam", "sts", "kms", "ssm", "lambda", "rds", "cloudtrail", "guardduty", "secretsmanager",
        "signin", "organizations", "logs", "config", "sns", "sqs", "dynamodb", "ecr", "eks",
    ]
    static let verbs = [
        "Describe", "List", "Get", "Create", "Delete", "Update", "Put", "Modify", "Attach", "Detach", "Start", "Stop",
        "Enable", "Disable", "Tag", "Untag", "Run", "Terminate", "Authorize", "Revoke",
    ]
    static let nouns = [
        "Instances", "Buckets", "Policy", "Role", "User", "Key", "Parameter", "Function", "DBInstance", "Trail",
        "Detector", "Secret", "Account", "LogGroup", "ConfigRule", "Topic", "Queue", "Table", "Repository", "Cluster",
        "SecurityGroupIngress", "AccessKey", "LoginProfile", "Snapshot", "Image",
    ]
    static let commonNames = [
        "AssumeRole", "ConsoleLogin", "GetCallerIdentity", "DescribeInstances", "ListBuckets", "GetObject",
        "PutObject", "CreateAccessKey", "StopLogging", "DeleteTrail", "ScheduleKeyDeletion", "Decrypt",
        "GetSecretValue", "AuthorizeSecurityGroupIngress", "RunInstances", "CreateUser", "AttachUserPolicy",
        "PutBucketPolicy", "DeleteDetector", "SendCommand",
    ]

    /// `count` valid patterns, the same for the same count.
    public static func patterns(count: Int) throws -> [Pattern] {
        var patterns: [Pattern] = []
        for index in 0..<count {
            patterns.append(try Pattern(parsing: text(index)))
        }
        return patterns
    }

    static func text(_ index: Int) -> String {
        let service = services[index % services.count]
        let name = index < commonNames.count
            ? commonNames[index]
            : verbs[(index / services.count) % verbs.count] + nouns[(index / 7) % nouns.count] + String(index)
        let second = verbs[(index + 3) % verbs.count] + nouns[(index + 5) % nouns.count]
        let eventNames = #"["\#(name)", "\#(second)"]"#
        let source = index < commonNames.count ? "" : #""source": ["aws.\#(service)"], "#
        let extra: String
        switch index % 6 {
        case 0: extra = #", "errorCode": [{"exists": true}]"#
        case 1: extra = #", "userIdentity": {"type": ["AssumedRole", "IAMUser"]}"#
        case 2: extra = #", "userIdentity": {"arn": [{"prefix": "arn:aws:iam::"}]}"#
        case 3: extra = #", "sourceIPAddress": [{"cidr": "203.0.113.0/24"}, {"cidr": "198.51.100.0/24"}]"#
        case 4: extra = #", "awsRegion": [{"anything-but": ["us-east-1", "eu-west-1"]}]"#
        default: extra = ""
        }
        return #"{\#(source)"detail": {"eventName": \#(eventNames)\#(extra)}}"#
    }
}
