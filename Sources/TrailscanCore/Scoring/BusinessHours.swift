/// The local days and times of day during which activity is expected.
///
/// A moment is inside business hours when its local weekday is one of `days`
/// and `start <= local time < end`, at minute resolution: with the default
/// 08:00–18:00, 17:59:59 is inside and 18:00:00 is outside. The hours cannot
/// span midnight, so `start` is always earlier than `end`.
public struct BusinessHours: Sendable, Equatable {
    public let days: Set<Weekday>
    /// The first minute of business hours, counted from local midnight.
    public let startMinute: Int
    /// The first minute after business hours, counted from local midnight.
    /// 1440 (`24:00`) ends them at midnight.
    public let endMinute: Int

    /// Monday to Friday, 08:00 to 18:00.
    public static let standard = BusinessHours(
        uncheckedDays: [.monday, .tuesday, .wednesday, .thursday, .friday], startMinute: 8 * 60, endMinute: 18 * 60)

    /// The business hours, or nil unless 0 <= `startMinute` < `endMinute` <= 1440.
    public init?(days: Set<Weekday>, startMinute: Int, endMinute: Int) {
        guard 0 <= startMinute, startMinute < endMinute, endMinute <= Self.minutesPerDay else { return nil }
        self.init(uncheckedDays: days, startMinute: startMinute, endMinute: endMinute)
    }

    private init(uncheckedDays days: Set<Weekday>, startMinute: Int, endMinute: Int) {
        self.days = days
        self.startMinute = startMinute
        self.endMinute = endMinute
    }

    static let minutesPerDay = 24 * 60

    /// Returns whether the local `weekday` and `minuteOfDay` fall inside
    /// business hours.
    public func contains(weekday: Weekday, minuteOfDay: Int) -> Bool {
        days.contains(weekday) && startMinute <= minuteOfDay && minuteOfDay < endMinute
    }

    /// Parses a time of day written as `HH:MM` on a 24-hour clock and returns
    /// the minutes after midnight. `24:00` is accepted only when
    /// `allowsEndOfDay` is true.
    static func parseTime(_ text: String, allowsEndOfDay: Bool) -> Int? {
        let bytes = Array(text.utf8)
        guard bytes.count == 5, bytes[2] == ASCII.colon else { return nil }
        let digits = [bytes[0], bytes[1], bytes[3], bytes[4]]
        guard digits.allSatisfy(ASCII.isDigit) else { return nil }

        let values = digits.map { Int($0 - ASCII.zero) }
        let hour = values[0] * 10 + values[1]
        let minute = values[2] * 10 + values[3]
        if allowsEndOfDay && hour == 24 && minute == 0 {
            return minutesPerDay
        }
        guard hour < 24, minute < 60 else { return nil }
        return hour * 60 + minute
    }

    /// Formats the time of day `minutes` after midnight as `HH:MM`.
    static func formatTime(_ minutes: Int) -> String {
        "\(padded(minutes / 60, width: 2)):\(padded(minutes % 60, width: 2))"
    }
}

extension BusinessHours: CustomStringConvertible {
    /// The days and hours in short form, such as `Mon-Fri 08:00-18:00` or
    /// `Mon,Wed-Fri 09:30-17:00`.
    public var description: String {
        "\(daysDescription) \(Self.formatTime(startMinute))-\(Self.formatTime(endMinute))"
    }

    /// The days as comma-separated runs of consecutive days, Monday first.
    private var daysDescription: String {
        guard !days.isEmpty else { return "no days" }

        var runs: [ClosedRange<Int>] = []
        for day in days.sorted() {
            if let last = runs.last, last.upperBound + 1 == day.rawValue {
                runs[runs.count - 1] = last.lowerBound...day.rawValue
            } else {
                runs.append(day.rawValue...day.rawValue)
            }
        }
        return runs.map(Self.describeRun).joined(separator: ",")
    }

    private static func describeRun(_ run: ClosedRange<Int>) -> String {
        let first = Weekday(rawValue: run.lowerBound)?.abbreviation ?? "?"
        guard run.count > 1 else { return first }
        let last = Weekday(rawValue: run.upperBound)?.abbreviation ?? "?"
        return "\(first)-\(last)"
    }
}
