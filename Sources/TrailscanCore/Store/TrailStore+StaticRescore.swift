/// Recomputing the ip, time and role signals under a new configuration.
///
/// A scan stores each finding's raw event (credentials redacted), so the
/// facts these signals read (eventTime, sourceIPAddress, userIdentity and
/// requestParameters.roleArn) can be extracted again with the scan's own
/// field scanner, without the log files. The rule's `base_score` is kept as
/// stored, because rescoring loads no rules, and stays the first reason.
extension TrailStore {
    /// Recomputes the static reasons of every finding with `config` and
    /// returns how many changed; a later `rescore(config:)` turns them into
    /// scores. An event that no longer parses keeps its stored reasons.
    /// - Complexity: one scan of every stored event.
    func rescoreStaticSignals(config: ScoringConfig) throws -> Int {
        let scorer = StaticScorer(config: config)
        var scanner = FieldScanner(trie: FieldTrie(matcherPaths: []))
        var updates: [(id: Int64, reasons: String)] = []

        try database.prepare("SELECT id, event, event_epoch, static_reasons, rule, base_score, reasons FROM findings").query { row in
            guard let event = row.text(1),
                  let facts = Self.facts(of: event, epoch: row.integer(2), scanner: &scanner)
            else { return }
            let rule = row.text(4) ?? ""
            let ruleReason = Reason(signal: .rule, points: Int(row.integer(5)), detail: "rule \(rule) matched")
            let encoded = Reason.encode([ruleReason] + scorer.reasons(for: facts))
            // An empty static_reasons means they equal reasons.
            let stored = row.text(3).flatMap { $0.isEmpty ? nil : $0 } ?? row.text(6)
            if encoded != stored {
                updates.append((row.integer(0), encoded))
            }
        }

        let update = try database.prepare("UPDATE findings SET static_reasons = ?1 WHERE id = ?2")
        try database.transaction {
            for (id, reasons) in updates {
                try update.run([.text(reasons), .integer(id)])
            }
            // Rows of any principal now wait for `rescore`. If it does not
            // run, the next scan must rescore every finding, not a scope.
            if !updates.isEmpty {
                try database.execute("INSERT OR REPLACE INTO state (key, value) VALUES ('needs_rescore', 'rescore')")
            }
        }
        return updates.count
    }

    /// Extracts the facts of a stored event (a CloudTrail record or an
    /// EventBridge envelope). Returns nil when it is not valid JSON.
    private static func facts(of event: String, epoch: Int64, scanner: inout FieldScanner) -> EventFacts? {
        Array(event.utf8).withUnsafeBufferPointer { buffer in
            guard (try? scanner.scan(buffer)) != nil else { return nil }
            return EventFacts(
                eventTime: epoch, sourceIPAddress: scanner.string(.sourceIPAddress),
                identityType: scanner.string(.identityType), identityARN: scanner.string(.identityARN),
                sessionIssuerARN: scanner.string(.sessionIssuerARN), requestedRoleARN: scanner.string(.requestedRoleARN))
        }
    }

    /// Recomputes the static signals and then the anomaly signal of the
    /// database at `path` with `config`; returns how many findings changed
    /// their static reasons.
    public static func rescoreAll(path: String, config: ScoringConfig) throws -> Int {
        let store = try TrailStore(path: path)
        let changed = try store.rescoreStaticSignals(config: config)
        try store.rescore(config: config)
        return changed
    }
}
