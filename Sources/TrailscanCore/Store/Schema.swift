/// The database schema. `PRAGMA user_version` stores the version, and each entry
/// of `migrations` upgrades from its index to the next version.
enum Schema {
    static let migrations: [String] = [
        """
        CREATE TABLE findings (
            id INTEGER PRIMARY KEY,
            event_id TEXT NOT NULL,
            rule TEXT NOT NULL,
            score INTEGER NOT NULL CHECK (score BETWEEN 0 AND 100),
            severity TEXT NOT NULL,
            event_time TEXT NOT NULL,
            account_id TEXT,
            region TEXT,
            event_source TEXT,
            event_name TEXT,
            principal_arn TEXT,
            principal_type TEXT,
            source_ip TEXT,
            user_agent TEXT,
            error_code TEXT,
            reasons TEXT NOT NULL,
            source TEXT NOT NULL,
            event TEXT NOT NULL,
            base_score INTEGER NOT NULL,
            static_reasons TEXT NOT NULL,
            event_epoch INTEGER NOT NULL,
            UNIQUE (event_id, rule)
        );
        CREATE INDEX findings_source ON findings (source);
        CREATE INDEX findings_principal ON findings (principal_arn);
        CREATE TABLE inputs (
            path TEXT PRIMARY KEY,
            size INTEGER NOT NULL,
            mtime TEXT NOT NULL,
            records INTEGER NOT NULL,
            findings INTEGER NOT NULL,
            status TEXT NOT NULL CHECK (status IN ('done', 'failed', 'skipped')),
            error TEXT,
            scanned_at TEXT NOT NULL,
            run_id INTEGER
        );
        CREATE TABLE runs (
            id INTEGER PRIMARY KEY,
            started_at TEXT NOT NULL,
            finished_at TEXT,
            version TEXT NOT NULL,
            inputs INTEGER NOT NULL DEFAULT 0,
            records INTEGER NOT NULL DEFAULT 0,
            findings INTEGER NOT NULL DEFAULT 0,
            errors INTEGER NOT NULL DEFAULT 0,
            arguments TEXT NOT NULL
        );
        CREATE TABLE baseline (
            principal TEXT NOT NULL,
            kind TEXT NOT NULL,
            value TEXT NOT NULL,
            first_epoch INTEGER NOT NULL,
            first_event_id TEXT NOT NULL,
            PRIMARY KEY (principal, kind, value)
        ) WITHOUT ROWID;
        CREATE TABLE state (
            key TEXT PRIMARY KEY,
            value TEXT NOT NULL
        ) WITHOUT ROWID;
        CREATE TABLE accounts (
            account_id TEXT PRIMARY KEY,
            first_epoch INTEGER NOT NULL
        ) WITHOUT ROWID;
        """,
        """
        CREATE TABLE denied_calls (
            principal TEXT NOT NULL,
            event_epoch INTEGER NOT NULL,
            event_id TEXT NOT NULL,
            PRIMARY KEY (principal, event_epoch, event_id)
        ) WITHOUT ROWID;
        """,
        // Report indexes. `findings_report` covers every column that the
        // report's GROUP BY queries read, so they scan this narrow index
        // instead of rows that carry the raw event. `findings_rank` returns
        // the highest-scored findings without sorting the table.
        """
        CREATE INDEX findings_report ON findings
            (event_epoch, score, severity, rule, account_id, region, principal_arn, event_time);
        CREATE INDEX findings_rank ON findings (score DESC, event_time DESC);
        """,
        // No query looks findings up by principal alone any more (the
        // anomaly rescoring starts from the baseline and probes the
        // (event_id, rule) index), and every insert paid for this index.
        """
        DROP INDEX IF EXISTS findings_principal;
        """,
        // static_reasons is empty while it equals reasons (see
        // TrailStore.rescore); rows written before keep one copy from now on.
        """
        UPDATE findings SET static_reasons = '' WHERE static_reasons = reasons;
        """,
        // A scan's closing summary counts its inputs' findings by severity.
        // With severity in this index the count reads the index alone, not
        // the rows with their raw events. Rescoring starts from the few
        // rows with stored static reasons and from the rows with an error
        // code (error bursts), and two partial indexes list them without a
        // scan of the table.
        """
        DROP INDEX IF EXISTS findings_source;
        CREATE INDEX findings_source ON findings (source, severity);
        CREATE INDEX findings_static ON findings (id) WHERE static_reasons != '';
        CREATE INDEX findings_errors ON findings (principal_arn, account_id, event_epoch, error_code)
            WHERE error_code IS NOT NULL AND principal_arn IS NOT NULL;
        """,
        // A run's rescoring can cover only the principals it changed, and
        // then looks up their rows with stored static reasons by principal.
        """
        DROP INDEX IF EXISTS findings_static;
        CREATE INDEX findings_static ON findings (principal_arn, id) WHERE static_reasons != '';
        """,
    ]

    static var currentVersion: Int { migrations.count }
}
