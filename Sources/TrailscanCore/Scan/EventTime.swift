/// Parsing and formatting of CloudTrail event times.
enum EventTime {
    /// Parses `YYYY-MM-DDTHH:MM:SS` with an optional fraction and an optional
    /// `Z`, and a space instead of the `T` (as some pipelines write), into
    /// seconds since 1970 UTC. The fraction is dropped. Returns nil for
    /// anything else.
    static func parse(_ bytes: UnsafeBufferPointer<UInt8>) -> Int64? {
        guard bytes.count >= 19 else { return nil }
        func number(_ start: Int, _ count: Int) -> Int64? {
            var value: Int64 = 0
            for index in start..<start + count {
                let byte = bytes[index]
                guard byte >= ASCII.zero && byte <= ASCII.nine else { return nil }
                value = value * 10 + Int64(byte - ASCII.zero)
            }
            return value
        }
        guard bytes[4] == ASCII.minus, bytes[7] == ASCII.minus,
              bytes[10] == UInt8(ascii: "T") || bytes[10] == ASCII.space,
              bytes[13] == ASCII.colon, bytes[16] == ASCII.colon,
              let year = number(0, 4), let month = number(5, 2), let day = number(8, 2),
              let hour = number(11, 2), let minute = number(14, 2), let second = number(17, 2),
              (1...12).contains(month), day >= 1, day <= daysInMonth(year: year, month: month),
              hour < 24, minute < 60, second < 61
        else { return nil }

        var rest = 19
        if rest < bytes.count && bytes[rest] == ASCII.dot {
            rest += 1
            while rest < bytes.count && bytes[rest] >= ASCII.zero && bytes[rest] <= ASCII.nine { rest += 1 }
        }
        if rest < bytes.count && bytes[rest] == UInt8(ascii: "Z") { rest += 1 }
        guard rest == bytes.count else { return nil }

        return daysFromCivil(year: year, month: month, day: day) * 86_400 + hour * 3_600 + minute * 60 + second
    }

    static func daysInMonth(year: Int64, month: Int64) -> Int64 {
        switch month {
        case 2:
            let isLeap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
            return isLeap ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// Formats seconds since 1970 as `YYYY-MM-DDTHH:MM:SSZ`.
    static func format(_ epoch: Int64) -> String {
        let days = epoch >= 0 ? epoch / 86_400 : (epoch - 86_399) / 86_400
        let seconds = epoch - days * 86_400
        let (year, month, day) = civilFromDays(days)
        if (0...9999).contains(year) {
            // Written as bytes, because every finding formats its time.
            return String(unsafeUninitializedCapacity: 20) { text in
                func put(_ value: Int64, digits: Int, at offset: Int) {
                    var rest = value
                    for position in (offset..<offset + digits).reversed() {
                        text[position] = ASCII.zero + UInt8(rest % 10)
                        rest /= 10
                    }
                }
                put(year, digits: 4, at: 0)
                put(month, digits: 2, at: 5)
                put(day, digits: 2, at: 8)
                put(seconds / 3_600, digits: 2, at: 11)
                put(seconds / 60 % 60, digits: 2, at: 14)
                put(seconds % 60, digits: 2, at: 17)
                text[4] = ASCII.minus
                text[7] = ASCII.minus
                text[10] = UInt8(ascii: "T")
                text[13] = ASCII.colon
                text[16] = ASCII.colon
                text[19] = UInt8(ascii: "Z")
                return 20
            }
        }
        func two(_ value: Int64) -> String { value < 10 ? "0\(value)" : "\(value)" }
        let yearText = String(repeating: "0", count: max(0, 4 - String(year).count)) + String(year)
        return "\(yearText)-\(two(month))-\(two(day))T\(two(seconds / 3_600)):\(two(seconds / 60 % 60)):\(two(seconds % 60))Z"
    }

    /// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's
    /// `days_from_civil` algorithm).
    static func daysFromCivil(year: Int64, month: Int64, day: Int64) -> Int64 {
        let adjustedYear = month <= 2 ? year - 1 : year
        let era = (adjustedYear >= 0 ? adjustedYear : adjustedYear - 399) / 400
        let yearOfEra = adjustedYear - era * 400
        let dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    static func civilFromDays(_ days: Int64) -> (year: Int64, month: Int64, day: Int64) {
        let shifted = days + 719_468
        let era = (shifted >= 0 ? shifted : shifted - 146_096) / 146_097
        let dayOfEra = shifted - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1_460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthIndex = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * monthIndex + 2) / 5 + 1
        let month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }
}
