import Testing

@testable import TrailscanCore

func parseEventTime(_ text: String) -> Int64? {
    Array(text.utf8).withUnsafeBufferPointer { EventTime.parse($0) }
}

@Suite("EventTime")
struct EventTimeTests {
    @Test(
        "valid times parse",
        arguments: [
            ("1970-01-01T00:00:00Z", 0),
            ("2024-02-29T23:59:59Z", 1_709_251_199),
            ("2024-02-29T23:59:59.123Z", 1_709_251_199),
            ("2024-02-29T23:59:59.999999999Z", 1_709_251_199),
            ("2024-02-29 23:59:59Z", 1_709_251_199),
            ("2024-02-29T23:59:59", 1_709_251_199),
            ("2024-02-29 23:59:59.5", 1_709_251_199),
            ("2000-03-01T00:00:00Z", 951_868_800),
            ("1969-12-31T23:59:59Z", -1),
            ("1900-01-01T00:00:00Z", -2_208_988_800),
            ("9999-12-31T23:59:59Z", 253_402_300_799),
        ] as [(String, Int64)])
    func validTimes(text: String, epoch: Int64) {
        #expect(parseEventTime(text) == epoch)
    }

    @Test(
        "invalid times are nil",
        arguments: [
            "2024-13-01T00:00:00Z",
            "2024-00-01T00:00:00Z",
            "2024-01-00T00:00:00Z",
            "2024-01-32T00:00:00Z",
            "2024-02-29T24:00:00Z",
            "2024-02-29T23:60:00Z",
            "2024-02-29T23:59:61Z",
            "2024-02-29T23:59",
            "2024-02-29",
            "",
            "2024-02-29X23:59:59Z",
            "2024/02/29T23:59:59Z",
            "2024-02-29T23:59:59ZZ",
            "2024-02-29T23:59:59+00:00",
            "2024-02-29T23:59:59.Zx",
            "+024-02-29T23:59:59Z",
            "2024-2-29T23:59:59Z ",
        ])
    func invalidTimes(text: String) {
        #expect(parseEventTime(text) == nil)
    }

    @Test("impossible calendar dates are nil", arguments: ["2023-02-29T00:00:00Z", "2024-02-30T00:00:00Z", "2024-04-31T00:00:00Z"])
    func impossibleDates(text: String) {
        #expect(parseEventTime(text) == nil)
    }

    @Test(
        "format writes UTC times",
        arguments: [
            (0, "1970-01-01T00:00:00Z"),
            (-1, "1969-12-31T23:59:59Z"),
            (-86_400, "1969-12-31T00:00:00Z"),
            (-86_401, "1969-12-30T23:59:59Z"),
            (-2_208_988_800, "1900-01-01T00:00:00Z"),
            (1_709_251_199, "2024-02-29T23:59:59Z"),
            (253_402_300_799, "9999-12-31T23:59:59Z"),
            (-30_610_224_001, "0999-12-31T23:59:59Z"),
            (-62_135_596_800, "0001-01-01T00:00:00Z"),
        ] as [(Int64, String)])
    func format(epoch: Int64, text: String) {
        #expect(EventTime.format(epoch) == text)
    }

    @Test(
        "format and parse round trip",
        arguments: [
            "0001-01-01T00:00:00Z", "0999-06-15T12:30:45Z", "1583-10-15T01:02:03Z", "1899-12-31T23:59:59Z",
            "1969-12-31T00:00:00Z", "1970-01-01T00:00:01Z", "2000-02-29T12:00:00Z", "2100-02-28T23:59:59Z",
            "2100-03-01T00:00:00Z", "9999-12-31T23:59:59Z",
        ])
    func roundTrip(text: String) throws {
        let epoch = try #require(parseEventTime(text))
        #expect(EventTime.format(epoch) == text)
    }

    @Test("every day from 1960 to 2040 round trips")
    func everyDay() {
        var mismatches: [Int64] = []
        let start: Int64 = -3_653 * 86_400
        let end: Int64 = 25_567 * 86_400
        for epoch in stride(from: start, through: end, by: 86_400 + 3_661) {
            if parseEventTime(EventTime.format(epoch)) != epoch { mismatches.append(epoch) }
        }
        #expect(mismatches == [])
    }
}
