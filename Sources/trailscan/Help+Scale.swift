extension Help {
    static let merge = """
        Usage: trailscan merge OUT.db IN.db ... [--config FILE]

        Combines the databases of a sharded scan (trailscan scan --shard K/N --db
        shard-K.db) into OUT.db, created with mode 0600 when missing. Rows are merged
        without duplicates, as one scan of all files would have stored them: one finding
        per event ID and rule (from the input file with the smallest path), one inputs
        row per file (done beats failed, else the newest), every run once, and the
        earliest first sighting of each baseline key and account. The anomaly signal is
        then recomputed over all merged data. Merging the same database again changes
        nothing.

        Every IN.db must be a trailscan database of this version's schema; open an older
        one once with this trailscan (for example trailscan rescore --db IN.db) to
        upgrade it. IN.db files are read, never changed.

        Options:
          --config FILE        scoring configuration for the anomaly signal
                               (default: ./trailscan.json if present)
          --quiet              print nothing but errors
          -h, --help           show this help

        Exit status: 0 success; 2 for a usage error, a missing or foreign IN.db, or a
        schema version mismatch (nothing merged).
        """

    static let rescore = """
        Usage: trailscan rescore [--db FILE] [--config FILE]

        Recomputes every finding's score and reasons under a scoring configuration,
        without the log files: the ip, time and role signals from each finding's stored
        event, then the anomaly signal from the baseline of all data in the database.
        The rule's base score stays as stored at scan time, because rescore loads no
        rules; scan the logs again with --rescan to apply changed rule base scores.

        Options:
          --db FILE            database file (default: $TRAILSCAN_DB, else ./trailscan.db)
          --config FILE        scoring configuration (default: ./trailscan.json if present)
          --quiet              print nothing but errors
          -h, --help           show this help
        """
}
