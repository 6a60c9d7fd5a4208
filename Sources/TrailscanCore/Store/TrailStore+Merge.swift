import Foundation

/// A database that `merge` cannot read: missing, not SQLite, not trailscan's,
/// or of another schema version. Nothing was merged.
public struct MergeError: Error, Sendable, CustomStringConvertible {
    public var path: String
    public var message: String

    public var description: String { "\(path): \(message)" }
}

/// Row counts of a merge, for the summary line.
public struct MergeSummary: Sendable {
    public var databases = 0
    /// Findings in the output after the merge.
    public var findings = 0
    /// Findings that no earlier database of the merge, or the output, held.
    public var newFindings = 0
    public var inputs = 0
    public var runs = 0

    public var line: String {
        "merged \(databases) database\(databases == 1 ? "" : "s"): \(findings) findings (\(newFindings) new), "
            + "\(inputs) inputs, \(runs) runs; anomaly signal rescored"
    }
}

/// Merging the databases of a sharded scan.
///
/// Each source database is attached to the output connection and copied in
/// one transaction with `INSERT ... SELECT ... ON CONFLICT`, which applies
/// the same rules as a scan that read every file itself:
///
/// - findings: one row per (event_id, rule); the row from the smaller input
///   path (`source`) wins, as when a scan commits a re-delivered event;
/// - inputs: one row per path; a `done` row beats a `failed` one, otherwise
///   the newer `scanned_at` wins;
/// - runs: appended, except a run already present (same start time, version
///   and arguments), so merging a database twice adds nothing;
/// - baseline and accounts: the earliest first sighting; denied_calls: the union.
///
/// The anomaly signal is then recomputed over all merged data, because a
/// key that was new in one shard may have been seen earlier in another.
/// NOTE: each source commits on its own, so a merge that fails part way
/// leaves the sources before the failure merged; merging again is safe.
extension TrailStore {
    /// The tables that every trailscan database of the current schema has.
    static let mergedTables = ["findings", "inputs", "runs", "baseline", "accounts", "denied_calls", "state"]

    /// Merges the databases at `sources` into the database at `path`
    /// (created with mode 0600 when missing), then rescores with `config`.
    /// - Throws: `MergeError` before anything is written when a source is
    ///   missing, is not a trailscan database or has another schema version.
    public static func merge(into path: String, from sources: [String], config: ScoringConfig) throws -> MergeSummary {
        let output = (path as NSString).standardizingPath
        for source in sources {
            try checkMergeSource(source, output: output)
        }
        if FileManager.default.fileExists(atPath: path) {
            try checkMergeOutput(path)
        }

        let store = try TrailStore(path: path)
        let findingsBefore = try store.count("findings")
        var summary = MergeSummary()
        for source in sources {
            try store.merge(source)
            summary.databases += 1
        }
        try store.rescore(config: config)

        summary.findings = try store.count("findings")
        summary.newFindings = summary.findings - findingsBefore
        summary.inputs = try store.count("inputs")
        summary.runs = try store.count("runs")
        return summary
    }

    private func merge(_ source: String) throws {
        try database.prepare("ATTACH DATABASE ?1 AS incoming").run([.text(source)])
        defer { try? database.execute("DETACH DATABASE incoming") }
        try database.transaction {
            try database.execute(Self.mergeRunsSQL)
            try database.execute(Self.mergeFindingsSQL)
            try database.execute(Self.mergeInputsSQL)
            // A duplicate finding kept from another shard's input moves the
            // count of findings from one inputs row to another.
            try database.execute(
                "UPDATE main.inputs SET findings = (SELECT count(*) FROM main.findings WHERE source = inputs.path)")
            try database.execute(Self.mergeBaselineSQL)
            try database.execute("DROP TABLE temp.run_ids")
            try database.execute("INSERT OR IGNORE INTO state (key, value) VALUES ('needs_rescore', '1')")
        }
    }

    func count(_ table: String) throws -> Int {
        var count: Int64 = 0
        try database.prepare("SELECT count(*) FROM main.\(table)").query { row in count = row.integer(0) }
        return Int(count)
    }

    // MARK: - Checks

    /// Throws unless `source` is a trailscan database of this schema version
    /// and is not the output itself.
    private static func checkMergeSource(_ source: String, output: String) throws(MergeError) {
        guard FileManager.default.fileExists(atPath: source) else {
            throw MergeError(path: source, message: "not found; name the database files written by trailscan scan --shard")
        }
        if realPath(source) == realPath(output) {
            throw MergeError(path: source, message: "is also the output database; name a different OUT.db")
        }
        let version = try schemaVersion(of: source)
        guard version == Schema.currentVersion else {
            let hint = version < Schema.currentVersion
                ? "upgrade it by opening it once with this trailscan, for example trailscan rescore --db \(source)"
                : "merge with the newer trailscan that wrote it"
            throw MergeError(
                path: source,
                message: "has schema version \(version), but this trailscan merges version \(Schema.currentVersion); \(hint)")
        }
    }

    /// Throws unless an existing output is empty or a trailscan database
    /// (of this or an older version, which opening it upgrades).
    private static func checkMergeOutput(_ path: String) throws(MergeError) {
        let attributes = try? FileManager.default.attributesOfItem(atPath: path)
        if (attributes?[.size] as? NSNumber)?.intValue == 0 { return }
        _ = try schemaVersion(of: path)
    }

    /// Reads the `user_version` of the trailscan database at `path`.
    /// - Throws: `MergeError` when the file is not SQLite or lacks trailscan's tables.
    private static func schemaVersion(of path: String) throws(MergeError) -> Int {
        var version = 0
        var tables: Set<String> = []
        do {
            let database = try SQLiteDatabase(path: path, readOnly: true)
            try database.prepare("PRAGMA user_version").query { row in version = Int(row.integer(0)) }
            try database.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").query { row in
                tables.insert(row.text(0) ?? "")
            }
        } catch {
            throw MergeError(path: path, message: "is not a trailscan database: \(error)")
        }
        let required = version >= Schema.currentVersion ? mergedTables : ["findings", "inputs", "runs"]
        let missing = required.filter { !tables.contains($0) }
        guard version > 0, missing.isEmpty else {
            let detail = missing.isEmpty ? "schema version 0" : "no table " + missing.joined(separator: ", ")
            throw MergeError(path: path, message: "is not a trailscan database (\(detail)); name a database written by trailscan scan")
        }
        return version
    }

    private static func realPath(_ path: String) -> String {
        URL(fileURLWithPath: path).resolvingSymlinksInPath().standardizedFileURL.path
    }
}

// MARK: - SQL

/// The statements of one source's merge; `incoming` is the attached source.
extension TrailStore {
    /// Appends the source's runs that the output lacks and maps their ids
    /// to the output's in `temp.run_ids`, for `inputs.run_id`.
    static let mergeRunsSQL = """
        DROP TABLE IF EXISTS temp.run_ids;
        INSERT INTO main.runs (started_at, finished_at, version, inputs, records, findings, errors, arguments)
        SELECT s.started_at, s.finished_at, s.version, s.inputs, s.records, s.findings, s.errors, s.arguments
        FROM incoming.runs AS s
        WHERE NOT EXISTS (
            SELECT 1 FROM main.runs AS m
            WHERE m.started_at = s.started_at AND m.version = s.version AND m.arguments = s.arguments)
        ORDER BY s.id;
        CREATE TEMP TABLE run_ids AS
        SELECT s.id AS source_id, min(m.id) AS merged_id
        FROM incoming.runs AS s
        JOIN main.runs AS m ON m.started_at = s.started_at AND m.version = s.version AND m.arguments = s.arguments
        GROUP BY s.id;
        """

    /// `WHERE true` is required: without it SQLite would read `ON CONFLICT`
    /// as a join constraint of the SELECT (SQLite's UPSERT documentation,
    /// "Parsing Ambiguity").
    static let mergeFindingsSQL = """
        INSERT INTO main.findings (event_id, rule, score, severity, event_time, account_id, region, event_source,
            event_name, principal_arn, principal_type, source_ip, user_agent, error_code, reasons, source, event,
            base_score, static_reasons, event_epoch)
        SELECT event_id, rule, score, severity, event_time, account_id, region, event_source,
            event_name, principal_arn, principal_type, source_ip, user_agent, error_code, reasons, source, event,
            base_score, static_reasons, event_epoch
        FROM incoming.findings WHERE true
        ON CONFLICT (event_id, rule) DO UPDATE SET
            score = excluded.score, severity = excluded.severity, event_time = excluded.event_time,
            account_id = excluded.account_id, region = excluded.region, event_source = excluded.event_source,
            event_name = excluded.event_name, principal_arn = excluded.principal_arn,
            principal_type = excluded.principal_type, source_ip = excluded.source_ip,
            user_agent = excluded.user_agent, error_code = excluded.error_code, reasons = excluded.reasons,
            source = excluded.source, event = excluded.event, base_score = excluded.base_score,
            static_reasons = excluded.static_reasons, event_epoch = excluded.event_epoch
        WHERE excluded.source < findings.source;
        """

    static let mergeInputsSQL = """
        INSERT INTO main.inputs (path, size, mtime, records, findings, status, error, scanned_at, run_id)
        SELECT i.path, i.size, i.mtime, i.records, i.findings, i.status, i.error, i.scanned_at,
            (SELECT merged_id FROM temp.run_ids WHERE source_id = i.run_id)
        FROM incoming.inputs AS i WHERE true
        ON CONFLICT (path) DO UPDATE SET
            size = excluded.size, mtime = excluded.mtime, records = excluded.records, findings = excluded.findings,
            status = excluded.status, error = excluded.error, scanned_at = excluded.scanned_at,
            run_id = excluded.run_id
        WHERE (excluded.status = 'done' AND inputs.status = 'failed')
            OR (NOT (excluded.status = 'failed' AND inputs.status = 'done')
                AND excluded.scanned_at > inputs.scanned_at);
        """

    static let mergeBaselineSQL = """
        INSERT INTO main.baseline (principal, kind, value, first_epoch, first_event_id)
        SELECT principal, kind, value, first_epoch, first_event_id FROM incoming.baseline WHERE true
        ON CONFLICT (principal, kind, value) DO UPDATE SET
            first_epoch = excluded.first_epoch, first_event_id = excluded.first_event_id
        WHERE (excluded.first_epoch, excluded.first_event_id) < (baseline.first_epoch, baseline.first_event_id);
        INSERT INTO main.accounts (account_id, first_epoch)
        SELECT account_id, first_epoch FROM incoming.accounts WHERE true
        ON CONFLICT (account_id) DO UPDATE SET first_epoch = excluded.first_epoch
        WHERE excluded.first_epoch < accounts.first_epoch;
        INSERT OR IGNORE INTO main.denied_calls (principal, event_epoch, event_id)
        SELECT principal, event_epoch, event_id FROM incoming.denied_calls;
        """
}
