/// A record that matched a rule, with what the store needs to keep and score it.
public struct Finding: Sendable {
    public var eventID: String
    public var rule: String
    public var baseScore: Int
    /// The static reasons as stored: the rule's base score, then the ip,
    /// time and role reasons, encoded as the `reasons` column. The store adds
    /// the anomaly reason later, because it depends on all data ingested.
    public var staticReasons: String
    /// The score of `staticReasons`.
    public var staticScore: Int
    /// `eventTime` normalised to `YYYY-MM-DDTHH:MM:SSZ`.
    public var eventTime: String
    public var eventEpoch: Int64
    public var accountID: String?
    public var region: String?
    public var eventSource: String?
    public var eventName: String?
    /// The baseline principal: the session issuer for assumed roles, else `userIdentity.arn`.
    public var principalARN: String?
    public var principalType: String?
    public var sourceIP: String?
    public var userAgent: String?
    public var errorCode: String?
    /// The input's path, or `stdin`.
    public var source: String
    /// The raw record with credentials redacted.
    public var event: String
}

extension Finding {
    /// The rule's own reason, encoded once per scan: the start of every
    /// stored reasons array of its findings.
    struct RuleReason {
        /// The JSON array with only this reason, without its closing bracket.
        var opening: String
        var baseScore: Int

        init(rule: String, baseScore: Int) {
            let json = Reason.encode([Reason(signal: .rule, points: baseScore, detail: "rule \(rule) matched")])
            opening = String(decoding: json.utf8.dropLast(), as: UTF8.self)
            self.baseScore = baseScore
        }
    }

    /// The ip, time and role reasons of one event, encoded once for all
    /// the rules it matches.
    struct StaticTail {
        /// The reasons' JSON array without its brackets.
        var members: String
        var points: Int

        init(_ reasons: [Reason]) {
            members = reasons.isEmpty ? "" : String(decoding: Reason.encode(reasons).utf8.dropFirst().dropLast(), as: UTF8.self)
            points = reasons.reduce(0) { $0 + $1.points }
        }
    }

    /// Returns the stored static reasons of a match of `rule`, the rule's
    /// reason and then the event's, as `Reason.encode` writes them, and their score.
    static func staticReasons(rule: RuleReason, reasons tail: StaticTail) -> (json: String, score: Int) {
        // One allocation: appending to a copy of the shared opening would
        // copy it first and then grow it.
        var json = ""
        json.reserveCapacity(rule.opening.utf8.count + tail.members.utf8.count + 2)
        json += rule.opening
        if !tail.members.isEmpty {
            json += ","
            json += tail.members
        }
        json += "]"
        return (json, min(100, rule.baseScore + tail.points))
    }
}

/// Severity bands of the risk score.
public enum Severity: String, Sendable, CaseIterable, Comparable {
    case low, medium, high, critical

    public init(score: Int) {
        switch score {
        case 90...: self = .critical
        case 70..<90: self = .high
        case 40..<70: self = .medium
        default: self = .low
        }
    }

    private var rank: Int { Severity.allCases.firstIndex(of: self)! }

    public static func < (lhs: Severity, rhs: Severity) -> Bool { lhs.rank < rhs.rank }
}

/// The first occurrence of a baseline key: the earliest (eventTime, eventID)
/// pair. Ordering by both makes "first" a total order, so ties in time are
/// broken the same way whatever order the data arrives in. EventIDs compare
/// by their UTF-8 bytes, as SQLite compares the stored text.
struct FirstSeen: Sendable, Comparable {
    var epoch: Int64
    var eventID: String

    static func < (lhs: FirstSeen, rhs: FirstSeen) -> Bool {
        lhs.epoch != rhs.epoch ? lhs.epoch < rhs.epoch : precedes(lhs.eventID, rhs.eventID)
    }

    static func == (lhs: FirstSeen, rhs: FirstSeen) -> Bool {
        lhs.epoch == rhs.epoch && lhs.eventID.utf8.elementsEqual(rhs.eventID.utf8)
    }

    /// Returns whether `lhs` sorts before `rhs` byte by byte.
    static func precedes(_ lhs: String, _ rhs: String) -> Bool {
        lhs.utf8.lexicographicallyPrecedes(rhs.utf8)
    }
}

/// One thing a principal did, as a key of the anomaly baseline.
struct BaselineKey: Hashable, Sendable {
    enum Kind: String, Sendable, CaseIterable {
        case network, region, eventName = "event_name", userAgentFamily = "user_agent_family"
    }

    var principal: String
    var kind: Kind
    var value: String
}

/// Everything learned from one input (or one batch of standard input),
/// committed to the store in one transaction.
struct InputResult: Sendable {
    var path: String
    var size: Int64
    var modified: String
    var records = 0
    var findings: [Finding] = []
    /// Baseline sightings, and calls refused with an access-denied error
    /// (for error bursts).
    var observations = Observations()
    var accountFirstSeen: [String: Int64] = [:]
    /// Records that could not be read (bad lines, records without eventTime).
    var badRecords = 0
    /// Well-formed JSON objects among `badRecords` that have no eventTime.
    var objectsWithoutEventTime = 0
    /// Set for an input that is not a CloudTrail log at all (status `skipped`).
    var notALog: String?
    /// The first problems, for the error message.
    var problems: [String] = []
    /// Set when the input as a whole failed (unreadable, corrupt gzip, truncated JSON).
    var failure: String?
    /// When true, findings already stored from this path are replaced.
    var replacesEarlierFindings = false
    var isFinal = true

    var status: String {
        if notALog != nil { return "skipped" }
        return failure != nil || badRecords > 0 ? "failed" : "done"
    }

    var errorText: String? {
        if let notALog { return notALog }
        var parts: [String] = []
        if let failure {
            parts.append(records > 0 ? failure + " (\(records) records before the damage were read)" : failure)
        }
        if badRecords > 0 {
            let noun = badRecords == 1 ? "record" : "records"
            parts.append("\(badRecords) unreadable \(noun), the first at " + (problems.first ?? "an unknown place"))
        }
        return parts.isEmpty ? nil : parts.joined(separator: "; ")
    }

    /// The baseline sightings, the earliest per key.
    var baseline: [BaselineKey: FirstSeen] { observations.sightingsByKey }

    /// Adds a sighting. The store keeps the earliest of a key's sightings,
    /// so a key may be added more than once.
    mutating func observe(_ key: BaselineKey, _ seen: FirstSeen) {
        observations.appendSighting(key, seen)
    }

    mutating func observeAccount(_ account: String, epoch: Int64) {
        if let existing = accountFirstSeen[account], existing <= epoch { return }
        accountFirstSeen[account] = epoch
    }
}
