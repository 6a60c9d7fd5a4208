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
        timeDetail(at: localTime(of: facts.eventTime))
    }

    /// Returns the time signal's detail for an event at local time `local`,
    /// or nil when it does not fire.
    func timeDetail(at local: LocalTime) -> String? {
        let hours = config.businessHours
        // The detail is built only when the signal fires.
        func when() -> String {
            "\(local.weekday.abbreviation) \(BusinessHours.formatTime(local.minuteOfDay)) \(config.timeZone.name)"
        }

        if !hours.contains(weekday: local.weekday, minuteOfDay: local.minuteOfDay) {
            return when() + outsideHours
        }
        if let date = local.date, config.holidays.contains(date) {
            return "\(when()) (holiday \(date))"
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
    /// configured zone. The zone's offset at that instant comes from the tz
    /// database through Foundation. The calendar fields are computed here,
    /// because `Calendar.dateComponents` cost more than the rest of the
    /// ip, time and role signals together.
    func localTime(of eventTime: Int64) -> LocalTime {
        let instant = Date(timeIntervalSince1970: TimeInterval(eventTime))
        let local = eventTime + Int64(calendar.timeZone.secondsFromGMT(for: instant))
        let days = local >= 0 ? local / 86_400 : (local - 86_399) / 86_400
        let secondOfDay = local - days * 86_400
        // 1970-01-01 was a Thursday, weekday 5 when Sunday is 1.
        let weekday = Weekday(calendarWeekday: Int(((days % 7) + 7 + 4) % 7) + 1)
        let (year, month, day) = EventTime.civilFromDays(days)
        return LocalTime(
            weekday: weekday, minuteOfDay: Int(secondOfDay / 60),
            date: LocalDate(year: Int(year), month: Int(month), day: Int(day)))
    }
}
