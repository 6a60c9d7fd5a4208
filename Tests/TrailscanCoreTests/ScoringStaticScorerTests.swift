import Foundation
import Testing

@testable import TrailscanCore

/// Converts a UTC time written as `YYYY-MM-DDTHH:MM:SSZ` to seconds since the
/// epoch.
func epochSeconds(_ text: String) throws -> Int64 {
    let date = try #require(ISO8601DateFormatter().date(from: text), "invalid test time \(text)")
    return Int64(date.timeIntervalSince1970)
}

/// Builds the facts of an event at Monday 2026-01-05 12:00 UTC with the given
/// fields and no others.
func facts(
    at time: String = "2026-01-05T12:00:00Z", ip: String? = nil, identityType: String? = nil,
    requestedRole: String? = nil, sessionIssuer: String? = nil
) throws -> EventFacts {
    EventFacts(
        eventTime: try epochSeconds(time), sourceIPAddress: ip, identityType: identityType, identityARN: nil,
        sessionIssuerARN: sessionIssuer, requestedRoleARN: requestedRole)
}

/// Builds a configuration with the given zone, holidays and suspicious
/// networks, and defaults for the rest.
func config(
    timeZone: String = "UTC", holidays: [String] = [], suspicious: [String] = []
) throws -> ScoringConfig {
    var config = ScoringConfig.defaults
    config.timeZone = try #require(NamedTimeZone(identifier: timeZone))
    config.holidays = Set(try holidays.map { try #require(LocalDate($0)) })
    config.suspiciousNetworks = CIDRSet(try suspicious.map { try #require(CIDRBlock($0)) })
    return config
}

@Suite("StaticScorer")
struct ScoringStaticScorerTests {
    @Test("test clock matches a known epoch")
    func testClock() throws {
        #expect(try epochSeconds("2026-03-08T07:00:00Z") == 1_772_953_200)
    }

    // MARK: ip

    @Test(
        "ip signal with default networks",
        arguments: [
            ("203.0.113.7", "203.0.113.7 is outside the trusted networks"),
            ("1.2.3.4", "1.2.3.4 is outside the trusted networks"),
            ("0.0.0.0", "0.0.0.0 is outside the trusted networks"),
            ("2001:db8::1", "2001:db8::1 is outside the trusted networks"),
            ("::ffff:203.0.113.7", "::ffff:203.0.113.7 is outside the trusted networks"),
            ("10.0.1.100", nil),
            ("172.31.255.255", nil),
            ("172.32.0.1", "172.32.0.1 is outside the trusted networks"),
            ("192.168.1.1", nil),
            ("100.64.0.1", nil),
            ("127.0.0.1", nil),
            ("169.254.169.254", nil),
            ("::1", nil),
            ("fd12:3456::1", nil),
            ("fe80::1", nil),
            ("::ffff:10.0.0.1", nil),
            ("ec2.amazonaws.com", nil),
            ("AWS Internal", nil),
            ("", nil),
            ("253.252.51.07", nil),
            ("035.1.1.1", nil),
        ] as [(String, String?)])
    func ipDefaults(ip: String, detail: String?) throws {
        let scorer = StaticScorer(config: .defaults)
        let expected = detail.map { [Reason(signal: .ip, points: 30, detail: $0)] } ?? []
        #expect(scorer.reasons(for: try facts(ip: ip)) == expected)
    }

    @Test("ip signal without an address")
    func ipMissing() throws {
        let scorer = StaticScorer(config: .defaults)
        #expect(scorer.reasons(for: try facts(ip: nil)) == [])
    }

    @Test(
        "ip signal with suspicious networks",
        arguments: [
            ("198.51.100.9", "198.51.100.9 is in suspicious network 198.51.100.0/24"),
            ("10.1.2.3", "10.1.2.3 is in suspicious network 10.1.0.0/16"),
            ("2001:db8:1::7", "2001:db8:1::7 is in suspicious network 2001:db8:1::/48"),
            ("10.2.0.1", nil),
            ("203.0.113.7", "203.0.113.7 is outside the trusted networks"),
        ] as [(String, String?)])
    func ipSuspicious(ip: String, detail: String?) throws {
        let config = try config(suspicious: ["198.51.100.0/24", "10.1.0.0/16", "2001:db8:1::/48"])
        let scorer = StaticScorer(config: config)
        let expected = detail.map { [Reason(signal: .ip, points: 30, detail: $0)] } ?? []
        #expect(scorer.reasons(for: try facts(ip: ip)) == expected)
    }

    @Test("trusted networks replace the defaults")
    func ipTrustedReplaced() throws {
        var config = ScoringConfig.defaults
        config.trustedNetworks = CIDRSet([try #require(CIDRBlock("203.0.113.0/24"))])
        let scorer = StaticScorer(config: config)

        #expect(scorer.reasons(for: try facts(ip: "203.0.113.7")) == [])
        #expect(
            scorer.reasons(for: try facts(ip: "10.0.0.1"))
                == [Reason(signal: .ip, points: 30, detail: "10.0.0.1 is outside the trusted networks")])
    }

    // MARK: time

    @Test(
        "business hour boundaries in UTC",
        arguments: [
            ("2026-01-05T07:59:00Z", "Mon 07:59 UTC (outside Mon-Fri 08:00-18:00)"),
            ("2026-01-05T07:59:59Z", "Mon 07:59 UTC (outside Mon-Fri 08:00-18:00)"),
            ("2026-01-05T08:00:00Z", nil),
            ("2026-01-09T17:59:00Z", nil),
            ("2026-01-09T17:59:59Z", nil),
            ("2026-01-09T18:00:00Z", "Fri 18:00 UTC (outside Mon-Fri 08:00-18:00)"),
            ("2026-01-10T12:00:00Z", "Sat 12:00 UTC (outside Mon-Fri 08:00-18:00)"),
            ("2026-01-11T00:00:00Z", "Sun 00:00 UTC (outside Mon-Fri 08:00-18:00)"),
            ("2026-01-07T23:59:00Z", "Wed 23:59 UTC (outside Mon-Fri 08:00-18:00)"),
        ] as [(String, String?)])
    func businessHourBoundaries(time: String, detail: String?) throws {
        let scorer = StaticScorer(config: .defaults)
        let expected = detail.map { [Reason(signal: .time, points: 20, detail: $0)] } ?? []
        #expect(scorer.reasons(for: try facts(at: time)) == expected)
    }

    @Test(
        "DST in America/New_York",
        arguments: [
            // Clocks go forward on Sunday 2026-03-08 at 02:00 EST.
            ("2026-03-06T12:59:00Z", "Fri 07:59 America/New_York (outside Mon-Fri 08:00-18:00)"),
            ("2026-03-06T13:00:00Z", nil),
            ("2026-03-08T06:59:59Z", "Sun 01:59 America/New_York (outside Mon-Fri 08:00-18:00)"),
            ("2026-03-08T07:00:00Z", "Sun 03:00 America/New_York (outside Mon-Fri 08:00-18:00)"),
            ("2026-03-09T11:59:00Z", "Mon 07:59 America/New_York (outside Mon-Fri 08:00-18:00)"),
            ("2026-03-09T12:00:00Z", nil),
            // Clocks go back on Sunday 2026-11-01 at 02:00 EDT.
            ("2026-11-01T05:59:00Z", "Sun 01:59 America/New_York (outside Mon-Fri 08:00-18:00)"),
            ("2026-11-01T06:00:00Z", "Sun 01:00 America/New_York (outside Mon-Fri 08:00-18:00)"),
            ("2026-11-02T12:59:00Z", "Mon 07:59 America/New_York (outside Mon-Fri 08:00-18:00)"),
            ("2026-11-02T13:00:00Z", nil),
        ] as [(String, String?)])
    func newYorkDST(time: String, detail: String?) throws {
        let scorer = StaticScorer(config: try config(timeZone: "America/New_York"))
        let expected = detail.map { [Reason(signal: .time, points: 20, detail: $0)] } ?? []
        #expect(scorer.reasons(for: try facts(at: time)) == expected)
    }

    @Test(
        "DST in Australia/Sydney",
        arguments: [
            // Clocks go back on Sunday 2026-04-05 at 03:00 AEDT.
            ("2026-04-02T20:59:00Z", "Fri 07:59 Australia/Sydney (outside Mon-Fri 08:00-18:00)"),
            ("2026-04-02T21:00:00Z", nil),
            ("2026-04-03T06:59:00Z", nil),
            ("2026-04-03T07:00:00Z", "Fri 18:00 Australia/Sydney (outside Mon-Fri 08:00-18:00)"),
            ("2026-04-04T15:59:00Z", "Sun 02:59 Australia/Sydney (outside Mon-Fri 08:00-18:00)"),
            ("2026-04-04T16:00:00Z", "Sun 02:00 Australia/Sydney (outside Mon-Fri 08:00-18:00)"),
            ("2026-04-05T21:59:00Z", "Mon 07:59 Australia/Sydney (outside Mon-Fri 08:00-18:00)"),
            ("2026-04-05T22:00:00Z", nil),
            // Clocks go forward on Sunday 2026-10-04 at 02:00 AEST.
            ("2026-10-01T21:59:00Z", "Fri 07:59 Australia/Sydney (outside Mon-Fri 08:00-18:00)"),
            ("2026-10-01T22:00:00Z", nil),
            ("2026-10-03T15:59:00Z", "Sun 01:59 Australia/Sydney (outside Mon-Fri 08:00-18:00)"),
            ("2026-10-03T16:00:00Z", "Sun 03:00 Australia/Sydney (outside Mon-Fri 08:00-18:00)"),
            ("2026-10-04T20:59:00Z", "Mon 07:59 Australia/Sydney (outside Mon-Fri 08:00-18:00)"),
            ("2026-10-04T21:00:00Z", nil),
        ] as [(String, String?)])
    func sydneyDST(time: String, detail: String?) throws {
        let scorer = StaticScorer(config: try config(timeZone: "Australia/Sydney"))
        let expected = detail.map { [Reason(signal: .time, points: 20, detail: $0)] } ?? []
        #expect(scorer.reasons(for: try facts(at: time)) == expected)
    }

    @Test(
        "holidays are local dates",
        arguments: [
            // Friday 2026-12-25 10:00 in New York.
            ("America/New_York", ["2026-12-25"], "2026-12-25T15:00:00Z",
             "Fri 10:00 America/New_York (holiday 2026-12-25)"),
            // The same day in the evening: outside hours is reported first.
            ("America/New_York", ["2026-12-25"], "2026-12-25T23:30:00Z",
             "Fri 18:30 America/New_York (outside Mon-Fri 08:00-18:00)"),
            // 2026-12-24 23:00 UTC is already Friday 2026-12-25 10:00 in Sydney.
            ("Australia/Sydney", ["2026-12-25"], "2026-12-24T23:00:00Z",
             "Fri 10:00 Australia/Sydney (holiday 2026-12-25)"),
            ("Australia/Sydney", ["2026-12-24"], "2026-12-24T23:00:00Z", nil),
            ("UTC", ["2026-12-24"], "2026-12-24T23:00:00Z", "Thu 23:00 UTC (outside Mon-Fri 08:00-18:00)"),
            ("UTC", ["2026-12-24", "2026-12-25"], "2026-12-25T09:00:00Z", "Fri 09:00 UTC (holiday 2026-12-25)"),
            ("UTC", [], "2026-12-25T09:00:00Z", nil),
        ] as [(String, [String], String, String?)])
    func holidays(timeZone: String, holidays: [String], time: String, detail: String?) throws {
        let scorer = StaticScorer(config: try config(timeZone: timeZone, holidays: holidays))
        let expected = detail.map { [Reason(signal: .time, points: 20, detail: $0)] } ?? []
        #expect(scorer.reasons(for: try facts(at: time)) == expected)
    }

    @Test("custom business days and hours")
    func customHours() throws {
        var config = ScoringConfig.defaults
        config.businessHours = try #require(
            BusinessHours(days: [.monday, .wednesday, .thursday, .sunday], startMinute: 9 * 60 + 30, endMinute: 24 * 60))
        let scorer = StaticScorer(config: config)

        #expect(scorer.reasons(for: try facts(at: "2026-01-11T23:59:00Z")) == [])
        #expect(
            scorer.reasons(for: try facts(at: "2026-01-06T12:00:00Z"))
                == [Reason(signal: .time, points: 20, detail: "Tue 12:00 UTC (outside Mon,Wed-Thu,Sun 09:30-24:00)")])
        #expect(
            scorer.reasons(for: try facts(at: "2026-01-05T09:29:00Z"))
                == [Reason(signal: .time, points: 20, detail: "Mon 09:29 UTC (outside Mon,Wed-Thu,Sun 09:30-24:00)")])
    }

    // MARK: role

    @Test(
        "role signal with default patterns",
        arguments: [
            (nil, "arn:aws:iam::1:role/AdminRole", nil, "role arn:aws:iam::1:role/AdminRole matches *admin*"),
            (nil, nil, "arn:aws:iam::1:role/AdminRole", "session issuer arn:aws:iam::1:role/AdminRole matches *admin*"),
            ("Root", nil, nil, "Root identity"),
            // Root wins over a sensitive role, and the requested role over the issuer.
            ("Root", "arn:aws:iam::1:role/AdminRole", nil, "Root identity"),
            ("AssumedRole", "arn:aws:iam::1:role/BreakGlass", "arn:aws:iam::1:role/account-admin",
             "role arn:aws:iam::1:role/BreakGlass matches *breakglass*"),
            ("AssumedRole", "arn:aws:iam::1:role/ReadOnly", "arn:aws:iam::1:role/account-admin",
             "session issuer arn:aws:iam::1:role/account-admin matches *admin*"),
            (nil, "arn:aws:iam::1:role/OrganizationAccountAccessRole", nil,
             "role arn:aws:iam::1:role/OrganizationAccountAccessRole matches *OrganizationAccountAccessRole*"),
            (nil, "arn:aws:iam::1:role/AWSReservedSSO_DevAdmin_635426549a280cc6", nil,
             "role arn:aws:iam::1:role/AWSReservedSSO_DevAdmin_635426549a280cc6 matches *admin*"),
            (nil, nil, "arn:aws:iam::1:role/ROOTS", "session issuer arn:aws:iam::1:role/ROOTS matches *root*"),
            ("AssumedRole", "arn:aws:iam::1:role/ReadOnly", "arn:aws:iam::1:role/Deployer", nil),
            ("IAMUser", nil, nil, nil),
            ("root", nil, nil, nil),
            ("AssumedRole", "", "", nil),
        ] as [(String?, String?, String?, String?)])
    func roleDefaults(identityType: String?, requestedRole: String?, sessionIssuer: String?, detail: String?) throws {
        let scorer = StaticScorer(config: .defaults)
        let event = try facts(identityType: identityType, requestedRole: requestedRole, sessionIssuer: sessionIssuer)
        let expected = detail.map { [Reason(signal: .role, points: 25, detail: $0)] } ?? []
        #expect(scorer.reasons(for: event) == expected)
    }

    @Test(
        "role patterns match the ARN or the role name",
        arguments: [
            ("arn:aws:iam::111122223333:role/BreakGlass", "role arn:aws:iam::111122223333:role/BreakGlass matches BreakGlass"),
            ("arn:aws:iam::111122223333:role/ops/breakglass", "role arn:aws:iam::111122223333:role/ops/breakglass matches BreakGlass"),
            ("arn:aws:iam::111122223333:role/BreakGlassOld", nil),
            ("arn:aws:iam::999:role/Deploy", "role arn:aws:iam::999:role/Deploy matches arn:aws:iam::999:*"),
        ] as [(String, String?)])
    func roleCustomPatterns(requestedRole: String, detail: String?) throws {
        var config = ScoringConfig.defaults
        config.sensitiveRoles = [Glob("BreakGlass"), Glob("arn:aws:iam::999:*")]
        let scorer = StaticScorer(config: config)
        let expected = detail.map { [Reason(signal: .role, points: 25, detail: $0)] } ?? []
        #expect(scorer.reasons(for: try facts(requestedRole: requestedRole)) == expected)
    }

    // MARK: weights and order

    @Test("reasons come in ip, time, role order")
    func reasonOrder() throws {
        let scorer = StaticScorer(config: .defaults)
        let event = try facts(at: "2026-01-10T03:30:00Z", ip: "203.0.113.7", identityType: "Root")
        #expect(
            scorer.reasons(for: event) == [
                Reason(signal: .ip, points: 30, detail: "203.0.113.7 is outside the trusted networks"),
                Reason(signal: .time, points: 20, detail: "Sat 03:30 UTC (outside Mon-Fri 08:00-18:00)"),
                Reason(signal: .role, points: 25, detail: "Root identity"),
            ])
    }

    @Test("weights set the points and 0 disables", arguments: [Signal.ip, .time, .role])
    func weights(disabled: Signal) throws {
        var config = ScoringConfig.defaults
        config.weights = [.ip: 7, .time: 8, .role: 9, .anomaly: 10]
        config.weights[disabled] = 0
        let scorer = StaticScorer(config: config)
        let event = try facts(at: "2026-01-10T03:30:00Z", ip: "203.0.113.7", identityType: "Root")

        let all = [
            Reason(signal: .ip, points: 7, detail: "203.0.113.7 is outside the trusted networks"),
            Reason(signal: .time, points: 8, detail: "Sat 03:30 UTC (outside Mon-Fri 08:00-18:00)"),
            Reason(signal: .role, points: 9, detail: "Root identity"),
        ]
        #expect(scorer.reasons(for: event) == all.filter { $0.signal != disabled })
    }
}
