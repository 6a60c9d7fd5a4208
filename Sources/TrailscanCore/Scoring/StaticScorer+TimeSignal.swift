import Foundation

extension StaticScorer {
    /// Returns the time signal's detail, or nil when it does not fire.
    ///
    /// It fires when the event's local time, in the configured zone with its
    /// daylight saving rules, is outside business hours or on a holiday. The
    /// detail names the local weekday, time and zone, and then the business
    /// hours or the holiday: `Sat 03:30 America/New_York (outside Mon-Fri
    /// 08:00-18:00)`. Outside business hours wins over a holiday.
    func timeDetail(for facts: EventFacts) -> String? {
        let local = localTime(of: facts.eventTime)
        let hours = config.businessHours
        let clock = BusinessHours.formatTime(local.minuteOfDay)
        let when = "\(local.weekday.abbreviation) \(clock) \(config.timeZone.name)"

        if !hours.contains(weekday: local.weekday, minuteOfDay: local.minuteOfDay) {
            return "\(when) (outside \(hours))"
        }
        if let date = local.date, config.holidays.contains(date) {
            return "\(when) (holiday \(date))"
        }
        return nil
    }

    /// The wall-clock reading of an instant in the configured zone.
    struct LocalTime {
        var weekday: Weekday
        var minuteOfDay: Int
        /// Nil for instants outside the years 1 to 9999.
        var date: LocalDate?
    }

    /// Converts `eventTime`, in seconds since 1970-01-01T00:00:00Z, to the
    /// configured zone.
    func localTime(of eventTime: Int64) -> LocalTime {
        let instant = Date(timeIntervalSince1970: TimeInterval(eventTime))
        let components = calendar.dateComponents([.year, .month, .day, .weekday, .hour, .minute], from: instant)

        let weekday = Weekday(calendarWeekday: components.weekday ?? 2)
        let minuteOfDay = (components.hour ?? 0) * 60 + (components.minute ?? 0)
        let date = LocalDate(year: components.year ?? 0, month: components.month ?? 0, day: components.day ?? 0)
        return LocalTime(weekday: weekday, minuteOfDay: minuteOfDay, date: date)
    }
}
