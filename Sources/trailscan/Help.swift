enum Help {
    static let main = """
        trailscan: risk-scored findings from AWS CloudTrail logs

        Usage:
          trailscan scan [PATH ...] [options]   read logs, store scored findings in SQLite
          trailscan report [options]            summarise the findings database
          trailscan match --pattern P [FILE]    print the events that an EventBridge pattern matches
          trailscan rules SUBCOMMAND            list, validate, test or export the rules
          trailscan --version                   print the version
          trailscan COMMAND --help              options of a command

        Exit status: 0 success; 1 --fail-on threshold reached, no match for match, or a
        failing example for rules test; 2 usage, config or rule
        error (nothing done); 3 some inputs failed while the others were committed.
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
          --quiet              print nothing but errors
          -h, --help           show this help
        """

    static let report = """
        Usage: trailscan report [options]

        Prints a summary of the findings database: what was scanned, findings by
        severity and by rule, and the highest-scored findings.

        Options:
          --db FILE            database file (default: $TRAILSCAN_DB, else ./trailscan.db)
          --format text        output format (only text for now)
          -o FILE              write the report to FILE instead of standard output
          --limit N            findings listed in detail (default 20)
          -h, --help           show this help
        """
}
