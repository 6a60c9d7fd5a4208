import CSQLite
import EventPatterns
import Foundation
import Glibc

/// The findings database: schema, per-input transactions, runs and the
/// anomaly rescoring that depends on all data ingested.
///
/// Durability: WAL with `synchronous=NORMAL`, so every committed transaction
/// survives a process crash (SQLite's WAL documentation; only a power loss
/// can undo the newest commits). A file's findings, its baseline
/// observations and its `inputs` row commit together, so a re-run after a
/// crash skips exactly the files whose transaction committed.
public final class TrailStore {
    let database: SQLiteDatabase
    private lazy var insertFinding = try! database.prepare(
        """
        INSERT INTO findings (event_id, rule, score, severity, event_time, account_id, region, event_source,
            event_name, principal_arn, principal_type, source_ip, user_agent, error_code, reasons, source, event,
            base_score, static_reasons, event_epoch)
        VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20)
        ON CONFLICT (event_id, rule) DO NOTHING
        """)
    /// A re-delivered event keeps the row of the smallest input path, so the
    /// stored `source` does not depend on the order in which inputs commit.
    private lazy var replaceFinding = try! database.prepare(
        """
        UPDATE findings SET
            score = ?3, severity = ?4, event_time = ?5, account_id = ?6, region = ?7, event_source = ?8,
            event_name = ?9, principal_arn = ?10, principal_type = ?11, source_ip = ?12, user_agent = ?13,
            error_code = ?14, reasons = ?15, source = ?16, event = ?17, base_score = ?18, static_reasons = ?19,
            event_epoch = ?20
        WHERE event_id = ?1 AND rule = ?2 AND ?16 < source
        """)
    private lazy var findingSource = try! database.prepare("SELECT source FROM findings WHERE event_id = ?1 AND rule = ?2")
    private lazy var decrementInputFindings = try! database.prepare(
        "UPDATE inputs SET findings = findings - 1 WHERE path = ?1 AND findings > 0")
    private lazy var upsertBaseline = try! database.prepare(
        """
        INSERT INTO baseline (principal, kind, value, first_epoch, first_event_id) VALUES (?1, ?2, ?3, ?4, ?5)
        ON CONFLICT (principal, kind, value) DO UPDATE SET
            first_epoch = excluded.first_epoch, first_event_id = excluded.first_event_id
        WHERE (excluded.first_epoch, excluded.first_event_id) < (baseline.first_epoch, baseline.first_event_id)
        """)
    private lazy var upsertAccount = try! database.prepare(
        """
        INSERT INTO accounts (account_id, first_epoch) VALUES (?1, ?2)
        ON CONFLICT (account_id) DO UPDATE SET first_epoch = excluded.first_epoch
        WHERE excluded.first_epoch < accounts.first_epoch
        """)
    private lazy var storedFindingCount = try! database.prepare("SELECT findings FROM inputs WHERE path = ?1")
    private lazy var readState = try! database.prepare("SELECT value FROM state WHERE key = ?1")
    private lazy var markNeedsRescore = try! database.prepare(
        "INSERT OR REPLACE INTO state (key, value) VALUES ('needs_rescore', ?1)")
    private lazy var insertDeniedCall = try! database.prepare(
        "INSERT OR IGNORE INTO denied_calls (principal, event_epoch, event_id) VALUES (?1, ?2, ?3)")
    private lazy var upsertInput = try! database.prepare(
        """
        INSERT OR REPLACE INTO inputs (path, size, mtime, records, findings, status, error, scanned_at, run_id)
        VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)
        """)

    /// The earliest sighting of each baseline key that this store has
    /// written. Rows only move earlier, so the stored row is never later,
    /// and an upsert that is not earlier is skipped. Each worker hands over
    /// a key whenever its own first sighting moves earlier: on the benchmark
    /// corpus 16,957 sightings, of which 8,912 were written. Cleared when a
    /// transaction rolls back and when it is full.
    private var writtenSightings = WrittenSightings()
    /// The principals already in `anomalyChanges.principals`, by their bytes.
    private var changedPrincipals = ByteKeyTable()

    /// The checkpoint thread, set while a scan writes.
    private var checkpointer: WALCheckpointer?

    /// The changes this store's writes made to what the anomaly signal
    /// reads: the principals whose findings, baseline rows or denied calls
    /// it wrote, and whether an account's first sighting changed.
    /// Rolled-back writes stay in it, which only widens a later rescoring.
    private(set) var anomalyChanges = AnomalyChanges()

    struct AnomalyChanges {
        var principals: Set<String> = []
        var accountsChanged = false
        /// Another run wrote since this store's first write: its changes
        /// are not in `principals`.
        var othersWrote = false
    }

    /// Opens or creates the database at `path` and brings its schema up to date.
    public init(path: String) throws(StoreError) {
        database = try SQLiteDatabase(path: path)
        // A new database gets 16 KiB pages; an existing one keeps its size. A
        // finding row with its raw event takes one to a few KiB. With 4 KiB
        // pages many rows spilled into overflow pages, and each commit wrote
        // four times as many pages. A scan of the benchmark corpus took 20%
        // less time and its database was a quarter smaller.
        try database.execute("PRAGMA page_size = 16384")
        try enableWriteAheadLog()
        try database.execute("PRAGMA synchronous = NORMAL")
        // 32 MiB of page cache (the default is 2 MiB): the baseline and
        // findings indexes stay in memory during a scan instead of being
        // re-read from the file for every upsert.
        try database.execute("PRAGMA cache_size = -32768")
        try database.execute("PRAGMA foreign_keys = ON")
        try migrate()
    }

    deinit {
        checkpointer?.stop()
    }

    /// Moves WAL checkpoints to a thread of their own until the store is
    /// released (see `WALCheckpointer`), for a store that commits often.
    func checkpointInBackground() throws(StoreError) {
        guard checkpointer == nil else { return }
        checkpointer = try WALCheckpointer(writer: database)
    }

    /// Switches the database to WAL mode. SQLite returns "database is
    /// locked" at once, without calling the busy handler, when another
    /// connection opens the same new database at the same moment, so the
    /// switch is retried for up to 30 seconds.
    private func enableWriteAheadLog() throws(StoreError) {
        let deadline = Date().addingTimeInterval(30)
        while true {
            do {
                try database.execute("PRAGMA journal_mode = WAL")
                return
            } catch {
                guard error.code == SQLITE_BUSY, Date() < deadline else { throw error }
                usleep(50_000)
            }
        }
    }

    /// Brings the schema up to date. The version is read inside the write
    /// transaction, so two processes opening a new database at once migrate
    /// it once: the second waits for the first and then finds nothing to do.
    private func migrate() throws(StoreError) {
        try database.execute("BEGIN IMMEDIATE")
        do {
            var version = 0
            try database.prepare("PRAGMA user_version").query { row in version = Int(row.integer(0)) }
            guard version <= Schema.currentVersion else {
                throw StoreError(
                    code: -1,
                    message: "\(database.path) has schema version \(version), newer than this trailscan (\(Schema.currentVersion)); upgrade trailscan")
            }
            for target in version..<Schema.currentVersion {
                try database.execute("\(Schema.migrations[target]); PRAGMA user_version = \(target + 1);")
            }
            try database.execute("COMMIT")
        } catch {
            try? database.execute("ROLLBACK")
            if let error = error as? StoreError { throw error }
            throw StoreError(code: -1, message: "\(error)")
        }
    }

    // MARK: - Inputs and runs

    /// Size, modification time and status (`done`, `failed` or `skipped`) of every stored input.
    func storedInputs() throws -> [String: (size: Int64, modified: String, status: String)] {
        var stored: [String: (size: Int64, modified: String, status: String)] = [:]
        try database.prepare("SELECT path, size, mtime, status FROM inputs").query { row in
            stored[row.text(0) ?? ""] = (row.integer(1), row.text(2) ?? "", row.text(3) ?? "")
        }
        return stored
    }

    /// Whether inputs were committed since the last rescoring, for example
    /// by a run that was killed before it could rescore.
    func needsRescore() throws -> Bool {
        try stateValue("needs_rescore") != nil
    }

    /// Returns the value stored under `key` in the `state` table, or nil.
    func stateValue(_ key: String) throws -> String? {
        var value: String?
        try readState.query([.text(key)]) { row in value = row.text(0) }
        return value
    }

    func beginRun(arguments: [String]) throws -> Int64 {
        let encoded = JSONValue.array(arguments.map { .string($0) }).serialized
        try database.prepare("INSERT INTO runs (started_at, version, arguments) VALUES (?1, ?2, ?3)")
            .run([.text(Self.now()), .text(trailscanVersion), .text(encoded)])
        var id: Int64 = 0
        try database.prepare("SELECT last_insert_rowid()").query { row in id = row.integer(0) }
        return id
    }

    func finishRun(_ id: Int64, inputs: Int, records: Int, findings: Int, errors: Int) throws {
        try database.prepare(
            "UPDATE runs SET finished_at = ?1, inputs = ?2, records = ?3, findings = ?4, errors = ?5 WHERE id = ?6"
        ).run([.text(Self.now()), .integer(Int64(inputs)), .integer(Int64(records)), .integer(Int64(findings)),
               .integer(Int64(errors)), .integer(id)])
    }

    /// Commits one input's findings, baseline observations and `inputs` row
    /// in one transaction; returns how many findings were new.
    func commit(_ result: InputResult, runID: Int64, status: String? = nil) throws -> Int {
        do {
            return try database.transaction { try write(result, runID: runID, status: status) }
        } catch {
            writtenSightings = WrittenSightings()
            throw error
        }
    }

    // MARK: - A transaction shared by several inputs
    //
    // `beginShared()`, then `write(_:runID:status:)` for each input, then
    // `commitShared()`: every input in it commits whole or not at all, and
    // an index page that several inputs change is written once.

    func beginShared() throws(StoreError) { try database.execute("BEGIN IMMEDIATE") }

    func commitShared() throws(StoreError) { try database.execute("COMMIT") }

    func rollBackShared() {
        try? database.execute("ROLLBACK")
        writtenSightings = WrittenSightings()
    }

    /// Writes one input's findings, baseline observations and `inputs` row
    /// inside the caller's transaction; returns how many findings were new.
    func write(_ result: InputResult, runID: Int64, status: String?) throws -> Int {
        // The inputs row's count is carried forward, not recounted. A
        // standard-input stream commits many batches under one path, and a
        // count of its rows would grow with everything it ever stored. A row
        // that moves to another input lowers this count there.
        var findingCount: Int64 = 0
        if result.replacesEarlierFindings {
            try database.prepare("DELETE FROM findings WHERE source = ?1").run([.text(result.path)])
        } else {
            try storedFindingCount.query([.text(result.path)]) { row in findingCount = row.integer(0) }
        }
        var inserted = 0
        // Borrowed from the buffer: a `for`-`in` over the array would copy
        // each finding, a retain and a release for every string in it.
        try result.findings.withUnsafeBufferPointer { findings in
            for index in findings.indices {
                switch try insert(findings[index]) {
                case .inserted:
                    inserted += 1
                    findingCount += 1
                case .moved:
                    findingCount += 1
                case .unchanged:
                    continue
                }
                if let principal = findings[index].principalARN { anomalyChanges.principals.insert(principal) }
            }
        }
        if writtenSightings.isFull { writtenSightings = WrittenSightings() }
        let observations = result.observations
        try observations.text.withUnsafeBufferPointer { text in
            for sighting in observations.sightings {
                let principal = text[sighting.principal]
                let eventID = text[sighting.eventID]
                let key = writtenSightings.number(principal: principal, kind: sighting.kind, value: text[sighting.value])
                if writtenSightings.hasWritten(key, atOrBefore: sighting.epoch, eventID: eventID) { continue }
                upsertBaseline.reset()
                try upsertBaseline.bind(bytes: principal, at: 1)
                try upsertBaseline.bind(sighting.kind.rawValue, at: 2)
                try upsertBaseline.bind(bytes: text[sighting.value], at: 3)
                try upsertBaseline.bind(sighting.epoch, at: 4)
                try upsertBaseline.bind(bytes: eventID, at: 5)
                try upsertBaseline.step()
                if database.changes == 1 { noteChangedPrincipal(principal) }
                writtenSightings.record(key, epoch: sighting.epoch, eventID: eventID)
            }
            for call in observations.deniedCalls {
                let principal = text[call.principal]
                insertDeniedCall.reset()
                try insertDeniedCall.bind(bytes: principal, at: 1)
                try insertDeniedCall.bind(call.epoch, at: 2)
                try insertDeniedCall.bind(bytes: text[call.eventID], at: 3)
                try insertDeniedCall.step()
                if database.changes == 1 { noteChangedPrincipal(principal) }
            }
        }
        for (account, epoch) in result.accountFirstSeen {
            try upsertAccount.run([.text(account), .integer(epoch)])
            if database.changes == 1 { anomalyChanges.accountsChanged = true }
        }
        // The run that wrote last is named, so that a run can tell whether
        // another one wrote since it began (see `rescoreScope`).
        if let marker = try stateValue("needs_rescore"), marker != String(runID) {
            anomalyChanges.othersWrote = true
        }
        try markNeedsRescore.run([.text(String(runID))])
        try upsertInput.run([
            .text(result.path), .integer(result.size), .text(result.modified), .integer(Int64(result.records)),
            .integer(findingCount), .text(status ?? result.status), SQLiteValue(result.errorText), .text(Self.now()),
            .integer(runID),
        ])
        return inserted
    }

    /// Adds the principal named by `bytes` to `anomalyChanges`, building
    /// its string only the first time.
    private func noteChangedPrincipal(_ bytes: UnsafeBufferPointer<UInt8>) {
        if changedPrincipals.number(of: bytes, tag: 0).isNew {
            anomalyChanges.principals.insert(String(decoding: bytes, as: UTF8.self))
        }
    }

    /// The effect of storing one finding on the findings table.
    private enum InsertOutcome {
        /// A new row.
        case inserted
        /// The (event_id, rule) row was stored from an input with a larger
        /// path and now belongs to this one.
        case moved
        /// The row was already stored, from this input or a smaller path.
        case unchanged
    }

    /// Stores `finding`, or moves its existing row to this input when the
    /// input's path is smaller.
    private func insert(_ finding: Finding) throws -> InsertOutcome {
        try bindRow(of: finding, to: insertFinding)
        try insertFinding.step(binding: finding.event, at: 17)
        if database.changes == 1 { return .inserted }
        var earlierSource: String?
        try findingSource.query([.text(finding.eventID), .text(finding.rule)]) { row in earlierSource = row.text(0) }
        try bindRow(of: finding, to: replaceFinding)
        try replaceFinding.step(binding: finding.event, at: 17)
        guard database.changes == 1 else { return .unchanged }
        // The row moved to this input: the earlier input's count drops by one.
        if let earlierSource {
            try decrementInputFindings.run([.text(earlierSource)])
        }
        return .moved
    }

    /// Binds the parameters ?1 to ?20 of `insertFinding` and `replaceFinding`.
    private func bindRow(of finding: Finding, to statement: SQLiteStatement) throws(StoreError) {
        let score = finding.staticScore
        statement.reset()
        try statement.bind(finding.eventID, at: 1)
        try statement.bind(finding.rule, at: 2)
        try statement.bind(Int64(score), at: 3)
        try statement.bind(Severity(score: score).rawValue, at: 4)
        try statement.bind(finding.eventTime, at: 5)
        try statement.bind(finding.accountID, at: 6)
        try statement.bind(finding.region, at: 7)
        try statement.bind(finding.eventSource, at: 8)
        try statement.bind(finding.eventName, at: 9)
        try statement.bind(finding.principalARN, at: 10)
        try statement.bind(finding.principalType, at: 11)
        try statement.bind(finding.sourceIP, at: 12)
        try statement.bind(finding.userAgent, at: 13)
        try statement.bind(finding.errorCode, at: 14)
        try statement.bind(finding.staticReasons, at: 15)
        try statement.bind(finding.source, at: 16)
        // ?17, the raw event, is bound by `step(binding:at:)`.
        try statement.bind(Int64(finding.baseScore), at: 18)
        // static_reasons stays empty while it equals reasons (see `rescore`).
        try statement.bind("", at: 19)
        try statement.bind(finding.eventEpoch, at: 20)
    }

    /// The current UTC time with milliseconds, e.g. `2026-12-04T22:10:07.123Z`.
    static func now() -> String {
        var time = timespec()
        clock_gettime(CLOCK_REALTIME, &time)
        let milliseconds = Int(time.tv_nsec / 1_000_000)
        let padded = String(1000 + milliseconds).dropFirst()
        return String(EventTime.format(Int64(time.tv_sec)).dropLast()) + ".\(padded)Z"
    }
}

extension TrailStore {
    /// The query of `severityCounts`, with ?1 the run and ?2 the last row id
    /// before it. With every severity named, SQLite reads only the rows
    /// added since ?2 from each (source, severity) range of the
    /// `findings_source` index, whose entries end with the row id. Without
    /// that, a run read every earlier finding of its inputs, such as all that
    /// standard input ever stored. The groups follow the index, (source,
    /// severity), so SQLite counts each range as it reads it instead of
    /// sorting every row by severity first. For the 31,007 findings of a
    /// 1000-rule benchmark scan, that took 6 to 7 ms instead of 9 to 11 ms.
    static let severityCountsSQL = """
        SELECT severity, count(*) FROM findings
        WHERE source IN (SELECT path FROM inputs WHERE run_id = ?1)
            AND severity IN (\(Severity.allCases.map { "'\($0.rawValue)'" }.joined(separator: ", "))) AND id > ?2
        GROUP BY source, severity
        """

    /// Counts the new findings of run `runID` by severity: rows added after
    /// row `lastIDBefore` whose input was committed in the run. Standard input
    /// keeps one `inputs` row for every run, so the input alone would also
    /// count the findings of earlier runs.
    func severityCounts(runID: Int64, after lastIDBefore: Int64) throws -> [Severity: Int] {
        var counts: [Severity: Int] = [:]
        try database.prepare(Self.severityCountsSQL).query([.integer(runID), .integer(lastIDBefore)]) { row in
            if let severity = row.text(0).flatMap(Severity.init(rawValue:)) { counts[severity, default: 0] += Int(row.integer(1)) }
        }
        return counts
    }
}
