extension StaticScorer {
    /// The encoded time and role reasons that one worker has built, by what
    /// they depend on, so that most events reuse their text.
    ///
    /// A time reason depends on the local weekday and minute, and on the
    /// date only for a holiday inside business hours. A role reason depends
    /// on the session issuer's ARN when the event is neither a `Root` call
    /// nor assumes a role. The ip reason names the address itself and is
    /// built for every event. A memo serves one scorer: its entries carry
    /// that scorer's points and details.
    struct ReasonMemo {
        /// By minute of the week, Monday 00:00 first.
        fileprivate var weekly = [EncodedReason?](repeating: nil, count: 7 * 1440)
        /// Holidays inside business hours, by date and minute of the day.
        fileprivate var holidays: [HolidayMinute: EncodedReason] = [:]
        /// Session issuers' ARNs, numbering `roles`.
        fileprivate var issuers = ByteKeyTable()
        fileprivate var roles: [EncodedReason] = []

        /// How many entries a table takes before it starts afresh, bounding memory.
        fileprivate static let maximumEntries = 16_384

        init() {}
    }

    fileprivate struct HolidayMinute: Hashable {
        var date: LocalDate
        var minuteOfDay: Int
    }

    /// One reason as an element of the `reasons` JSON array, or nothing when
    /// its signal does not fire.
    fileprivate struct EncodedReason {
        var json: String
        var points: Int

        static let none = EncodedReason(json: "", points: 0)

        init(json: String, points: Int) {
            self.json = json
            self.points = points
        }

        /// Encodes `reason` as `Reason.encode` writes an element.
        init(_ reason: Reason) {
            var json = ""
            Reason.append(reason, to: &json)
            self.init(json: json, points: reason.points)
        }
    }

    /// Returns the ip, time and role reasons of `facts`, the reasons that
    /// `reasons(for:)` returns, encoded for `Finding.staticReasons`.
    func staticTail(for facts: EventFacts, memo: inout ReasonMemo) -> Finding.StaticTail {
        var tail = Finding.StaticTail([])
        tail.members.reserveCapacity(256)
        func append(_ reason: EncodedReason) {
            guard !reason.json.isEmpty else { return }
            if !tail.members.isEmpty { tail.members += "," }
            tail.members += reason.json
            tail.points += reason.points
        }
        // The ip reason comes first, so it needs no separator.
        if let points = ipPoints, let signal = ipSignal(for: facts) {
            switch signal {
            case .untrusted(let text):
                // The text parsed as an address, so it contains only hex
                // digits, dots and colons, none of which JSON escapes.
                tail.members += ipReasonOpening
                tail.members += text
                tail.members += Self.untrustedEnding
                tail.members += #""}"#
            case .suspicious:
                Reason.append(Reason(signal: .ip, points: points, detail: Self.detail(of: signal)), to: &tail.members)
            }
            tail.points += points
        }
        if let points = timePoints {
            append(timeReason(at: facts.eventTime, points: points, memo: &memo))
        }
        if let points = rolePoints {
            append(roleReason(for: facts, points: points, memo: &memo))
        }
        return tail
    }

    private func timeReason(at eventTime: Int64, points: Int, memo: inout ReasonMemo) -> EncodedReason {
        let local = localTime(of: eventTime)
        func encode() -> EncodedReason {
            timeDetail(at: local).map { EncodedReason(Reason(signal: .time, points: points, detail: $0)) } ?? .none
        }
        if !config.holidays.isEmpty, let date = local.date, config.holidays.contains(date),
           config.businessHours.contains(weekday: local.weekday, minuteOfDay: local.minuteOfDay)
        {
            let key = HolidayMinute(date: date, minuteOfDay: local.minuteOfDay)
            if let known = memo.holidays[key] { return known }
            if memo.holidays.count >= ReasonMemo.maximumEntries { memo.holidays.removeAll(keepingCapacity: true) }
            let reason = encode()
            memo.holidays[key] = reason
            return reason
        }
        let minuteOfWeek = (local.weekday.rawValue - 1) * 1440 + local.minuteOfDay
        if let known = memo.weekly[minuteOfWeek] { return known }
        let reason = encode()
        memo.weekly[minuteOfWeek] = reason
        return reason
    }

    private func roleReason(for facts: EventFacts, points: Int, memo: inout ReasonMemo) -> EncodedReason {
        func encode() -> EncodedReason {
            roleDetail(for: facts).map { EncodedReason(Reason(signal: .role, points: points, detail: $0)) } ?? .none
        }
        guard facts.identityType != "Root", facts.requestedRoleARN == nil, var issuer = facts.sessionIssuerARN else {
            return encode()
        }
        let (number, isNew) = issuer.withUTF8 { memo.issuers.number(of: $0, tag: 0) }
        if !isNew { return memo.roles[number] }
        if memo.roles.count >= ReasonMemo.maximumEntries {
            memo.issuers = ByteKeyTable()
            memo.roles.removeAll(keepingCapacity: true)
            return encode()
        }
        memo.roles.append(encode())
        return memo.roles[number]
    }
}
