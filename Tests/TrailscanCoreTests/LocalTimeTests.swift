import Foundation
import Testing

@testable import TrailscanCore

@Suite("Local time of an event")
struct LocalTimeTests {
    /// Zones with DST in either hemisphere, half-hour and 45-minute offsets,
    /// a half-hour DST shift (Lord Howe) and negative DST (Dublin).
    static let zones = [
        "UTC", "America/New_York", "Australia/Sydney", "Australia/Lord_Howe", "Asia/Kathmandu", "Pacific/Chatham",
        "Europe/Dublin", "America/St_Johns", "America/Sao_Paulo",
    ]

    @Test("weekday, minute and date agree with Foundation's calendar", arguments: zones)
    func agreesWithCalendar(zone: String) throws {
        var config = ScoringConfig()
        config.timeZone = try #require(NamedTimeZone(identifier: zone))
        let scorer = StaticScorer(config: config)
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = config.timeZone.timeZone

        // 20,000 instants from 1900 to 2100 (after the calendar's switch from
        // Julian dates in 1582), from a fixed linear congruential sequence.
        var state: UInt64 = 0x2545_f491_4f6c_dd1d
        for _ in 0..<20_000 {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            let epoch = -2_208_988_800 + Int64(state >> 33) % 6_311_390_400
            let components = calendar.dateComponents(
                [.year, .month, .day, .weekday, .hour, .minute], from: Date(timeIntervalSince1970: TimeInterval(epoch)))
            let local = scorer.localTime(of: epoch)
            #expect(local.weekday == Weekday(calendarWeekday: components.weekday!), "\(zone) \(epoch)")
            #expect(local.minuteOfDay == components.hour! * 60 + components.minute!, "\(zone) \(epoch)")
            #expect(local.date == LocalDate(year: components.year!, month: components.month!, day: components.day!),
                    "\(zone) \(epoch)")
        }
    }

    @Test("minutes around the 2026 DST changes in New York and Sydney")
    func dstEdges() throws {
        func local(_ zone: String, _ time: String) throws -> String {
            var config = ScoringConfig()
            config.timeZone = try #require(NamedTimeZone(identifier: zone))
            let epoch = try #require(Array(time.utf8).withUnsafeBufferPointer { EventTime.parse($0) })
            let local = StaticScorer(config: config).localTime(of: epoch)
            return "\(local.date!) \(local.weekday.abbreviation) \(BusinessHours.formatTime(local.minuteOfDay))"
        }
        // New York springs forward at 2026-03-08 07:00 UTC (02:00 EST becomes 03:00 EDT).
        #expect(try local("America/New_York", "2026-03-08T06:59:00Z") == "2026-03-08 Sun 01:59")
        #expect(try local("America/New_York", "2026-03-08T07:00:00Z") == "2026-03-08 Sun 03:00")
        // Sydney falls back at 2026-04-04 16:00 UTC (03:00 AEDT becomes 02:00 AEST).
        #expect(try local("Australia/Sydney", "2026-04-04T15:59:00Z") == "2026-04-05 Sun 02:59")
        #expect(try local("Australia/Sydney", "2026-04-04T16:00:00Z") == "2026-04-05 Sun 02:00")
        // Before 1970, where days since the epoch are negative.
        #expect(try local("UTC", "1969-12-31T23:59:00Z") == "1969-12-31 Wed 23:59")
    }
}
