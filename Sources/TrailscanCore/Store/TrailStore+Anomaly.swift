import EventPatterns

/// The anomaly signal, computed over everything in the database.
///
/// During a scan every record adds its baseline keys (principal × network,
/// region, eventName, user-agent family) with the earliest (eventTime,
/// eventID) seen, every account its earliest eventTime, and every call
/// refused with an access-denied error its principal and time. Those minima do not depend on the order
/// in which inputs arrive, how many workers read them, or how the data was
/// split across runs. After the inputs are committed, `rescore` decides for
/// each finding: the anomaly fires when the finding's event is the first
/// occurrence of one of its principal's keys, or an access-denied error that
/// completes a burst (`error_burst.count` such errors by the principal within
/// `error_burst.minutes` up to and including this event), and the event lies
/// past the account's learning period.
///
/// Example: with `learning_days` 7 and account A first seen on 1 March, an
/// `AssumeRole` by role R from 203.0.113.9 on 10 March fires when no record
/// of R from 203.0.113.0/24 is earlier; the same call on 5 March never fires.
extension TrailStore {
    /// Recomputes the anomaly reason, score and severity of every finding.
    ///
    /// `static_reasons` contains a finding's reasons without the anomaly. It
    /// stays empty while they equal `reasons`, so most rows store them once.
    ///
    /// Only a few findings can carry the anomaly: those whose event is the
    /// first sighting of a baseline key, and access-denied errors. They are
    /// found from the baseline side (one index probe per baseline row) and
    /// from the findings with an error code. Each of them, and each finding
    /// with non-empty static reasons (an anomaly from before, or static
    /// reasons changed by `trailscan rescore`), gets its reasons rebuilt.
    /// - Complexity: one pass over the baseline and one over the findings'
    ///   narrow columns, plus O(candidates) lookups.
    ///
    /// With `principals`, only the findings of those principals are
    /// rescored (see `rescoreScope`), and the passes read only their rows.
    func rescore(config: ScoringConfig, principals: Set<String>? = nil) throws {
        let weight = config.weights[.anomaly] ?? 0
        let learningSeconds = Int64(config.learningDays) * 86_400
        var accountFirstSeen: [String: Int64] = [:]
        try database.prepare("SELECT account_id, first_epoch FROM accounts").query { row in
            accountFirstSeen[row.text(0) ?? ""] = row.integer(1)
        }
        func isPastLearning(account: String?, epoch: Int64) -> Bool {
            guard let first = accountFirstSeen[account ?? ""] else { return false }
            return epoch - first >= learningSeconds
        }

        try database.transaction {
            // The principals in scope, or every principal: `IN` a temporary
            // table, or a condition that is always true.
            let scope: String
            if let principals {
                try database.execute("CREATE TEMP TABLE IF NOT EXISTS rescore_scope (principal TEXT PRIMARY KEY)")
                try database.execute("DELETE FROM temp.rescore_scope")
                let insert = try database.prepare("INSERT OR IGNORE INTO temp.rescore_scope (principal) VALUES (?1)")
                for principal in principals { try insert.run([.text(principal)]) }
                scope = "IN (SELECT principal FROM temp.rescore_scope)"
            } else {
                scope = "IS NOT NULL"
            }

            var anomalies: [Int64: AnomalyFacts] = [:]
            if weight > 0 {
                try collectFirstSightings(into: &anomalies, scope: scope, isPastLearning: isPastLearning)
                try collectErrorBursts(into: &anomalies, scope: scope, config: config, isPastLearning: isPastLearning)
            }
            var candidates = Set(anomalies.keys)
            // A full pass reads every row with stored static reasons. After
            // one, only rows with the anomaly keep them, and those have a
            // principal, so a scoped pass reads its principals' rows only.
            let staticCondition = principals == nil ? "" : " AND principal_arn \(scope)"
            try database.prepare("SELECT id FROM findings WHERE static_reasons != ''" + staticCondition).query { row in
                candidates.insert(row.integer(0))
            }

            let read = try database.prepare("SELECT static_reasons, score, reasons FROM findings WHERE id = ?1")
            let update = try database.prepare(
                "UPDATE findings SET score = ?1, severity = ?2, reasons = ?3, static_reasons = ?4 WHERE id = ?5")
            for id in candidates.sorted() {
                var current: (staticReasons: String, score: Int, reasons: String)?
                try read.query([.integer(id)]) { row in
                    current = (row.text(0) ?? "", Int(row.integer(1)), row.text(2) ?? "[]")
                }
                guard let current else { continue }
                let staticReasons = current.staticReasons.isEmpty ? current.reasons : current.staticReasons
                var reasons = Reason.decode(staticReasons)
                if let facts = anomalies[id] {
                    reasons.append(Reason(signal: .anomaly, points: weight, detail: facts.detail(config: config)))
                }
                // The reasons start with the rule's base score, so their points are the score.
                let score = min(100, reasons.reduce(0) { $0 + $1.points })
                let encoded = Reason.encode(reasons)
                let storedStatic = anomalies[id] == nil ? "" : staticReasons
                if score != current.score || encoded != current.reasons || storedStatic != current.staticReasons {
                    try update.run([
                        .integer(Int64(score)), .text(Severity(score: score).rawValue), .text(encoded), .text(storedStatic),
                        .integer(id),
                    ])
                }
            }
            try database.execute("DELETE FROM state WHERE key = 'needs_rescore'")
            try database.prepare("INSERT OR REPLACE INTO state (key, value) VALUES ('rescore_config', ?1)")
                .run([.text(Self.anomalyFingerprint(config))])
        }
    }

    /// The principals whose findings a run's rescoring must cover, or nil
    /// when it must cover every finding.
    ///
    /// A finding's anomaly depends on its principal's baseline rows and
    /// denied calls, its account's first sighting and the anomaly settings.
    /// So when every finding was rescored before the run began
    /// (`startedRescored`), no other run wrote since, no account's first
    /// sighting moved and the settings are those of the last rescoring, only
    /// the findings of the principals in `anomalyChanges` can change.
    func rescoreScope(runID: Int64, startedRescored: Bool, config: ScoringConfig) throws -> Set<String>? {
        guard startedRescored, !anomalyChanges.accountsChanged, !anomalyChanges.othersWrote,
              try stateValue("needs_rescore") == String(runID),
              try stateValue("rescore_config") == Self.anomalyFingerprint(config)
        else { return nil }
        return anomalyChanges.principals
    }

    /// Returns the settings that the anomaly reasons depend on, as text for the `state` table.
    private static func anomalyFingerprint(_ config: ScoringConfig) -> String {
        "anomaly \(config.weights[.anomaly] ?? 0), learning_days \(config.learningDays), "
            + "error_burst \(config.errorBurst.count) in \(config.errorBurst.minutes) minutes"
    }

    /// Adds the findings whose event is the first sighting of one of its
    /// principal's baseline keys. The join starts from the baseline: each
    /// row names its first event, found through the (event_id, rule) index.
    /// `CROSS JOIN` keeps the baseline as the outer loop, and the unary `+`
    /// keeps the planner from probing findings by principal instead.
    private func collectFirstSightings(
        into anomalies: inout [Int64: AnomalyFacts], scope: String, isPastLearning: (String?, Int64) -> Bool
    ) throws {
        try database.prepare(
            """
            SELECT f.id, f.principal_arn, f.account_id, f.event_epoch, b.kind, b.value,
                   f.source_ip, f.region, f.event_name, f.user_agent
            FROM baseline AS b CROSS JOIN findings AS f ON f.event_id = b.first_event_id
            WHERE b.principal \(scope) AND +f.principal_arn = b.principal AND +f.event_epoch = b.first_epoch
            """
        ).query { row in
            guard let principal = row.text(1), let kind = row.text(4).flatMap(BaselineKey.Kind.init(rawValue:)),
                  let value = row.text(5), isPastLearning(row.text(2), row.integer(3))
            else { return }
            // The finding's own value of the key, as the scan derived it: an
            // event that shares another event's eventID and time is not its
            // first sighting unless the values agree too.
            let own: String? =
                switch kind {
                case .network: row.text(6).flatMap(IPAddress.init)?.networkKey
                case .region: row.text(7)
                case .eventName: row.text(8)
                case .userAgentFamily: row.text(9).map(UserAgentFamily.family(of:))
                }
            guard own == value else { return }
            anomalies[row.integer(0), default: AnomalyFacts(principal: principal)].firstSeen.append((kind, value))
        }
    }

    /// Adds the access-denied findings that complete an error burst:
    /// `error_burst.count` such errors by the principal within
    /// `error_burst.minutes` up to and including the finding's event.
    ///
    /// Findings come ordered by principal, and each principal's denied
    /// calls are read once, as sorted times, so a finding's count is two
    /// binary searches instead of a query.
    private func collectErrorBursts(
        into anomalies: inout [Int64: AnomalyFacts], scope: String, config: ScoringConfig,
        isPastLearning: (String?, Int64) -> Bool
    ) throws {
        let window = Int64(config.errorBurst.minutes) * 60
        let deniedTimes = try database.prepare(
            "SELECT event_epoch FROM denied_calls WHERE principal = ?1 ORDER BY event_epoch")
        var principal: String?
        var times: [Int64] = []
        // The WHERE clause is that of the partial index `findings_errors`,
        // which covers these columns, so the scan reads the index alone.
        try database.prepare(
            """
            SELECT id, principal_arn, account_id, event_epoch, error_code FROM findings
            WHERE error_code IS NOT NULL AND principal_arn IS NOT NULL AND principal_arn \(scope)
            ORDER BY principal_arn
            """
        ).query { row in
            let epoch = row.integer(3)
            guard let rowPrincipal = row.text(1), let errorCode = row.text(4), AccessDenied.matches(errorCode),
                  isPastLearning(row.text(2), epoch)
            else { return }
            if rowPrincipal != principal {
                principal = rowPrincipal
                times.removeAll(keepingCapacity: true)
                try deniedTimes.query([.text(rowPrincipal)]) { denied in times.append(denied.integer(0)) }
            }
            // Denied calls in (epoch - window, epoch].
            let denied = Int64(Self.countAtOrBefore(epoch, in: times) - Self.countAtOrBefore(epoch - window, in: times))
            if denied >= Int64(config.errorBurst.count) {
                anomalies[row.integer(0), default: AnomalyFacts(principal: rowPrincipal)].deniedInWindow = denied
            }
        }
    }

    /// Returns how many of the ascending `times` are at or before `limit`.
    private static func countAtOrBefore(_ limit: Int64, in times: [Int64]) -> Int {
        var low = 0
        var high = times.count
        while low < high {
            let middle = (low + high) / 2
            if times[middle] <= limit { low = middle + 1 } else { high = middle }
        }
        return low
    }
}

/// The anomaly signal's facts about one finding: first sightings and an error burst.
private struct AnomalyFacts {
    var principal: String
    var firstSeen: [(kind: BaselineKey.Kind, value: String)] = []
    var deniedInWindow: Int64?

    /// Returns the reason's detail: the first sightings in kind order, then the burst.
    func detail(config: ScoringConfig) -> String {
        var details: [String] = []
        if !firstSeen.isEmpty {
            let order = BaselineKey.Kind.allCases
            let novel = firstSeen.sorted { order.firstIndex(of: $0.kind)! < order.firstIndex(of: $1.kind)! }
            details.append("first seen for \(principal): " + novel.map { "\($0.kind.label) \($0.value)" }.joined(separator: ", "))
        }
        if let deniedInWindow {
            details.append(
                "error burst: \(deniedInWindow) access-denied errors by \(principal) in the "
                    + "\(config.errorBurst.minutes) minutes up to this event")
        }
        return details.joined(separator: "; ")
    }
}

extension BaselineKey.Kind {
    var label: String {
        switch self {
        case .network: "network"
        case .region: "region"
        case .eventName: "eventName"
        case .userAgentFamily: "user-agent family"
        }
    }
}
