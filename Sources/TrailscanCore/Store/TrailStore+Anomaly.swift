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
    /// - Complexity: O(findings × 3) index lookups.
    func rescore(config: ScoringConfig) throws {
        let weight = config.weights[.anomaly] ?? 0
        let learningSeconds = Int64(config.learningDays) * 86_400
        var accountFirstSeen: [String: Int64] = [:]
        try database.prepare("SELECT account_id, first_epoch FROM accounts").query { row in
            accountFirstSeen[row.text(0) ?? ""] = row.integer(1)
        }
        let lookup = try database.prepare(
            "SELECT first_epoch, first_event_id FROM baseline WHERE principal = ?1 AND kind = ?2 AND value = ?3")
        let burstWindow = Int64(config.errorBurst.minutes) * 60
        let countDenied = try database.prepare(
            "SELECT count(*) FROM denied_calls WHERE principal = ?1 AND event_epoch > ?2 AND event_epoch <= ?3")
        let update = try database.prepare("UPDATE findings SET score = ?1, severity = ?2, reasons = ?3 WHERE id = ?4")

        try database.transaction {
            let findings = try database.prepare(
                """
                SELECT id, principal_arn, source_ip, region, event_name, account_id, event_epoch, event_id,
                       base_score, static_reasons, score, reasons, user_agent, error_code
                FROM findings
                """)
            var updates: [(Int64, Int, String)] = []
            try findings.query { row in
                var reasons = Reason.decode(row.text(9) ?? "[]")
                let epoch = row.integer(6)
                let account = row.text(5) ?? ""
                if weight > 0, let principal = row.text(1), let first = accountFirstSeen[account],
                   epoch - first >= learningSeconds
                {
                    let seen = FirstSeen(epoch: epoch, eventID: row.text(7) ?? "")
                    var novel: [String] = []
                    let candidates: [(BaselineKey.Kind, String?)] = [
                        (.network, row.text(2).flatMap(IPAddress.init)?.networkKey),
                        (.region, row.text(3)),
                        (.eventName, row.text(4)),
                        (.userAgentFamily, row.text(12).map(UserAgentFamily.family(of:))),
                    ]
                    for (kind, value) in candidates {
                        guard let value else { continue }
                        var isFirst = false
                        try lookup.query([.text(principal), .text(kind.rawValue), .text(value)]) { baseline in
                            isFirst = FirstSeen(epoch: baseline.integer(0), eventID: baseline.text(1) ?? "") == seen
                        }
                        if isFirst { novel.append("\(kind.label) \(value)") }
                    }
                    var details: [String] = []
                    if !novel.isEmpty {
                        details.append("first seen for \(principal): " + novel.joined(separator: ", "))
                    }
                    if let errorCode = row.text(13), AccessDenied.matches(errorCode) {
                        var denied: Int64 = 0
                        try countDenied.query([.text(principal), .integer(epoch - burstWindow), .integer(epoch)]) { count in
                            denied = count.integer(0)
                        }
                        if denied >= Int64(config.errorBurst.count) {
                            details.append(
                                "error burst: \(denied) access-denied errors by \(principal) in the "
                                    + "\(config.errorBurst.minutes) minutes up to this event")
                        }
                    }
                    if !details.isEmpty {
                        reasons.append(Reason(signal: .anomaly, points: weight, detail: details.joined(separator: "; ")))
                    }
                }
                // The reasons start with the rule's base score, so their points are the score.
                let score = min(100, reasons.reduce(0) { $0 + $1.points })
                let encoded = Reason.encode(reasons)
                if score != Int(row.integer(10)) || encoded != row.text(11) {
                    updates.append((row.integer(0), score, encoded))
                }
            }
            for (id, score, reasons) in updates {
                try update.run([.integer(Int64(score)), .text(Severity(score: score).rawValue), .text(reasons), .integer(id)])
            }
            try database.execute("DELETE FROM state WHERE key = 'needs_rescore'")
        }
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
