enum Help {
    static let main = """
        trailscan: risk-scored findings from AWS CloudTrail logs

        Usage:
          trailscan scan [PATH ...] [options]   read logs, store scored findings in SQLite
          trailscan report [options]            summarise the findings database
          trailscan match --pattern P [FILE]    print the events that an EventBridge pattern matches
          trailscan rules SUBCOMMAND            list, validate, test or export the rules
          trailscan merge OUT.db IN.db ...      combine the databases of a sharded scan
          trailscan rescore [options]           recompute the scores under a configuration
          trailscan --version                   print the version
          trailscan COMMAND --help              options of a command

        Exit status: 0 success; 1 --fail-on threshold reached, no match for match, or a
        failing example for rules test; 2 usage, config or rule error (nothing done),
        or an input that match cannot read; 3 some inputs failed while the others were
        committed.
        """

    static let scan = """
        Usage: trailscan scan [PATH ...] [options]

        Reads CloudTrail logs and stores the findings of every rule, with risk scores,
        in a SQLite database. PATH is a file (.json.gz, .json, .ndjson, .ndjson.gz,
        gzip recognised by content), a folder (walked recursively; digest files and
        non-log files are skipped and counted) or - for standard input. Without a PATH,
        standard input is read when it is not a terminal. Files already read with the
        same size and modification time are skipped.

        Options:
          --db FILE            database file (default: $TRAILSCAN_DB, else ./trailscan.db)
          --rules DIR          also load the rule files (*.json) under DIR; repeatable
          --config FILE        scoring configuration (default: ./trailscan.json if present)
          --jobs N             files read in parallel (default: the number of cores)
          --rescan             read files again even when already done
          --fail-on SEVERITY   exit 1 when a finding of this run is at least SEVERITY
                               (low, medium, high or critical)
          --shard K/N          read only shard K (0 to N-1) of N: the files whose
                               account, region and day hash to K; see trailscan merge
          --emit ndjson        also write each new finding to standard output as one
                               JSON line, after its input commits (see below)
          --quiet              print nothing but errors
          -h, --help           show this help

        With --emit ndjson, each line carries event_id, rule, score, severity,
        event_time, account_id, region, event_source, event_name, principal_arn,
        source_ip, reasons and source. The score is the one stored at commit: the ip,
        time and role signals and the rule's base score. The anomaly signal depends on
        all data, so it is added only by the rescoring at the end of the scan; the
        database and trailscan report show the final scores.
        """

    static let report = """
        Usage: trailscan report [options]

        Summarises the findings database: period covered, what was scanned, findings
        by severity, rule, account and region, the principals with the highest total
        score, findings per day, and the highest-scored findings with their reasons
        and raw events. Event text is escaped for the format, never interpreted.

        Options:
          --db FILE             database file (default: $TRAILSCAN_DB, else ./trailscan.db)
          --format FORMAT       text (default), markdown, html, csv or json
          -o FILE               write the report to FILE (mode 0600) instead of standard output
          --since TIME          only findings at or after TIME
          --until TIME          only findings at or before TIME; a date includes the whole day
                                TIME is a UTC date (2025-06-01), a time (2025-06-01T12:00:00Z
                                or with a +02:00 offset) or an age before now (7d, 24h, 30m)
          --account ID          only findings of this 12-digit AWS account
          --rule NAME           only findings of this rule
          --min-severity SEV    only findings of at least SEV (low, medium, high, critical)
          --limit N             findings listed in detail, highest score first (default 20)
          --all                 list every finding in detail
          -h, --help            show this help

        Filters apply to the findings; the scan totals cover the whole database. Text
        output is coloured only on a terminal and when NO_COLOR is unset. CSV has one
        row per listed finding.
        """
}
