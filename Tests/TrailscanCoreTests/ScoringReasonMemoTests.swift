import Testing

@testable import TrailscanCore

/// A scan encodes the ip, time and role reasons through a per-worker memo
/// (`StaticScorer.staticTail(for:memo:)`). These tests check that it writes
/// exactly what `reasons(for:)` and `Reason.encode` give, whether an entry is
/// new, remembered or evicted.
@Suite("StaticScorer reason memo")
struct ScoringReasonMemoTests {
    /// The members of `Reason.encode(reasons)` without the brackets, as
    /// `Finding.StaticTail` contains them.
    private func encodedMembers(_ reasons: [Reason]) -> String {
        reasons.isEmpty ? "" : String(Reason.encode(reasons).dropFirst().dropLast())
    }

    /// Events at the edges of business hours, across daylight saving changes
    /// in both hemispheres, on holidays, with sensitive and ordinary roles
    /// and with addresses inside and outside the trusted networks.
    private func sampleEvents() throws -> [EventFacts] {
        let times = [
            "2026-01-05T07:59:00Z", "2026-01-05T08:00:00Z", "2026-01-05T17:59:00Z", "2026-01-05T18:00:00Z",
            "2026-01-10T03:30:00Z", "2026-03-08T06:59:00Z", "2026-03-08T07:00:00Z", "2026-03-09T12:30:00Z",
            "2026-04-04T15:59:00Z", "2026-04-04T16:00:00Z", "2026-10-03T16:00:00Z", "2026-11-01T06:00:00Z",
            "2026-12-24T23:00:00Z", "2026-12-25T09:00:00Z", "2026-12-25T15:00:00Z", "2026-12-25T23:30:00Z",
        ]
        let addresses: [String?] = [nil, "203.0.113.7", "10.0.0.1", "2001:db8::1", "::ffff:198.51.100.9", "ec2.amazonaws.com"]
        let identities: [(type: String?, requested: String?, issuer: String?)] = [
            (nil, nil, nil),
            ("Root", nil, nil),
            ("AssumedRole", nil, "arn:aws:iam::111122223333:role/AdminRole"),
            ("AssumedRole", nil, "arn:aws:iam::111122223333:role/Deployer"),
            ("AssumedRole", "arn:aws:iam::111122223333:role/BreakGlass", "arn:aws:iam::111122223333:role/Deployer"),
            ("AssumedRole", "arn:aws:iam::111122223333:role/ReadOnly", "arn:aws:iam::111122223333:role/AdminRole"),
            ("AssumedRole", nil, "arn:aws:iam::111122223333:role/\u{00C9}quipeAdmin"),
            ("AssumedRole", nil, ""),
        ]
        var events: [EventFacts] = []
        for (index, time) in times.enumerated() {
            for (offset, identity) in identities.enumerated() {
                let address = addresses[(index + offset) % addresses.count]
                events.append(try facts(at: time, ip: address, identityType: identity.type,
                                        requestedRole: identity.requested, sessionIssuer: identity.issuer))
            }
        }
        return events
    }

    @Test(
        "the memo writes what the reasons encode",
        arguments: [
            ("UTC", [] as [String]), ("America/New_York", ["2026-12-25"]), ("Australia/Sydney", ["2026-12-25", "2026-04-04"]),
        ])
    func sameAsEncodedReasons(timeZone: String, holidays: [String]) throws {
        let scorer = StaticScorer(config: try config(timeZone: timeZone, holidays: holidays))
        var memo = StaticScorer.ReasonMemo()
        let events = try sampleEvents()
        // Twice, so that the second pass reads remembered entries.
        for pass in 1...2 {
            for event in events {
                let reasons = scorer.reasons(for: event)
                let tail = scorer.staticTail(for: event, memo: &memo)
                #expect(tail.members == encodedMembers(reasons), "pass \(pass), \(event)")
                #expect(tail.points == reasons.reduce(0) { $0 + $1.points }, "pass \(pass), \(event)")
            }
        }
    }

    @Test("suspicious networks and other weights also match")
    func suspiciousAndWeights() throws {
        var config = try config(suspicious: ["203.0.113.0/24", "2001:db8::/32"])
        config.weights = [.ip: 7, .time: 0, .role: 9, .anomaly: 10]
        let scorer = StaticScorer(config: config)
        var memo = StaticScorer.ReasonMemo()
        for pass in 1...2 {
            for event in try sampleEvents() {
                let reasons = scorer.reasons(for: event)
                let tail = scorer.staticTail(for: event, memo: &memo)
                #expect(tail.members == encodedMembers(reasons), "pass \(pass), \(event)")
                #expect(tail.points == reasons.reduce(0) { $0 + $1.points }, "pass \(pass), \(event)")
            }
        }
        let suspicious = scorer.staticTail(for: try facts(ip: "203.0.113.7"), memo: &memo)
        #expect(suspicious.members == #"{"signal":"ip","points":7,"detail":"203.0.113.7 is in suspicious network 203.0.113.0/24"}"#)
        let untrusted = scorer.staticTail(for: try facts(ip: "198.51.100.1"), memo: &memo)
        #expect(untrusted.members == #"{"signal":"ip","points":7,"detail":"198.51.100.1 is outside the trusted networks"}"#)
    }

    @Test("holiday and next week differ")
    func holidayAndWeekday() throws {
        let scorer = StaticScorer(config: try config(holidays: ["2026-12-25"]))
        var memo = StaticScorer.ReasonMemo()
        let holiday = scorer.staticTail(for: try facts(at: "2026-12-25T09:00:00Z"), memo: &memo)
        let nextFriday = scorer.staticTail(for: try facts(at: "2027-01-01T09:00:00Z"), memo: &memo)
        let again = scorer.staticTail(for: try facts(at: "2026-12-25T09:00:00Z"), memo: &memo)
        #expect(holiday.members == #"{"signal":"time","points":20,"detail":"Fri 09:00 UTC (holiday 2026-12-25)"}"#)
        #expect(nextFriday.members == "")
        #expect(again.members == holiday.members)
    }

    @Test("more issuers than the memo keeps still get their own reasons")
    func manyIssuers() throws {
        let scorer = StaticScorer(config: .defaults)
        var memo = StaticScorer.ReasonMemo()
        // More than the memo's 16,384 entries, so it starts afresh once;
        // every 1,000th issuer is sensitive.
        for round in 0..<2 {
            for index in stride(from: 0, to: 17_000, by: round == 0 ? 1 : 997) {
                let name = index % 1_000 == 0 ? "admin-\(index)" : "worker-\(index)"
                let event = try facts(identityType: "AssumedRole", sessionIssuer: "arn:aws:iam::111122223333:role/\(name)")
                let tail = scorer.staticTail(for: event, memo: &memo)
                #expect(tail.members == encodedMembers(scorer.reasons(for: event)), "round \(round), issuer \(index)")
            }
        }
    }
}
