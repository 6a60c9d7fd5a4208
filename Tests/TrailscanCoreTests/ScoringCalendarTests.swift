import Testing

@testable import TrailscanCore

@Suite("LocalDate, Weekday and BusinessHours")
struct ScoringCalendarTests {
    @Test("valid date round-trips", arguments: ["2026-12-25", "2000-02-29", "2028-02-29", "0001-01-01", "9999-12-31"])
    func validDate(text: String) throws {
        let date = try #require(LocalDate(text))
        #expect(date.description == text)
    }

    @Test(
        "invalid date is rejected",
        arguments: [
            "1900-02-29", "2100-02-29", "2026-02-29", "2026-04-31", "2026-13-01", "2026-00-10", "2026-01-00",
            "0000-01-01", "2026-1-01", "2026/01/01", "20260101", " 2026-01-01", "2026-01-01T00:00", "2026-01-0a", "",
        ])
    func invalidDate(text: String) {
        #expect(LocalDate(text) == nil)
    }

    @Test("dates order by year, month, day")
    func dateOrder() throws {
        let texts = ["2026-12-25", "2025-12-31", "2026-01-31", "2026-02-01"]
        let dates = try texts.map { try #require(LocalDate($0)) }
        #expect(dates.sorted().map(\.description) == ["2025-12-31", "2026-01-31", "2026-02-01", "2026-12-25"])
    }

    @Test(
        "Foundation weekday numbers map to weekdays",
        arguments: [
            (1, Weekday.sunday), (2, .monday), (3, .tuesday), (4, .wednesday), (5, .thursday), (6, .friday),
            (7, .saturday),
        ])
    func calendarWeekday(number: Int, expected: Weekday) {
        #expect(Weekday(calendarWeekday: number) == expected)
    }

    @Test("weekday abbreviations round-trip", arguments: Weekday.allCases)
    func abbreviation(day: Weekday) {
        #expect(Weekday(abbreviation: day.abbreviation) == day)
    }

    @Test("weekday abbreviation is exact", arguments: ["mon", "MON", "Monday", "M", ""])
    func inexactAbbreviation(text: String) {
        #expect(Weekday(abbreviation: text) == nil)
    }

    @Test(
        "time of day parses as minutes",
        arguments: [
            ("00:00", false, 0), ("08:00", false, 480), ("17:59", false, 1079), ("23:59", false, 1439),
            ("24:00", true, 1440), ("24:00", false, nil), ("24:01", true, nil), ("23:60", false, nil),
            ("8:00", false, nil), ("08:00:00", false, nil), ("08-00", false, nil), ("0a:00", false, nil),
            ("", false, nil),
        ] as [(String, Bool, Int?)])
    func parseTime(text: String, allowsEndOfDay: Bool, expected: Int?) {
        #expect(BusinessHours.parseTime(text, allowsEndOfDay: allowsEndOfDay) == expected)
    }

    @Test(
        "business hours need start before end",
        arguments: [(480, 1080, true), (0, 1440, true), (1080, 480, false), (480, 480, false), (0, 1441, false),
                    (-1, 480, false)])
    func businessHoursRange(start: Int, end: Int, isValid: Bool) {
        #expect((BusinessHours(days: [.monday], startMinute: start, endMinute: end) != nil) == isValid)
    }

    @Test(
        "business hours describe their days",
        arguments: [
            ([Weekday.monday, .tuesday, .wednesday, .thursday, .friday], "Mon-Fri 08:00-18:00"),
            ([.saturday, .sunday], "Sat-Sun 08:00-18:00"),
            ([.monday, .wednesday, .friday], "Mon,Wed,Fri 08:00-18:00"),
            ([.sunday, .monday], "Mon,Sun 08:00-18:00"),
            ([], "no days 08:00-18:00"),
        ])
    func businessHoursDescription(days: [Weekday], expected: String) throws {
        let hours = try #require(BusinessHours(days: Set(days), startMinute: 480, endMinute: 1080))
        #expect(hours.description == expected)
    }
}
