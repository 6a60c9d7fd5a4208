extension Help {
    static let match = """
        Usage: trailscan match --pattern FILE_OR_JSON [--raw] [EVENT_FILE | -]

        Prints each event that an EventBridge pattern matches, as one line of compact
        JSON, like grep. Events are read as scan reads them: {"Records": [...]} files,
        NDJSON, JSON arrays, EventBridge envelopes and aws cloudtrail lookup-events
        output (each item's CloudTrailEvent record is printed), gzipped or not. Without
        EVENT_FILE, standard input is read when it is not a terminal; - also means
        standard input.

        By default a CloudTrail record is matched in the EventBridge envelope AWS would
        deliver for it (source aws.sts, detail-type, account, region, the record under
        detail), so a pattern behaves as it would in EventBridge.

        Options:
          -p, --pattern FILE_OR_JSON   the pattern: inline JSON starting with {, or a file
          --raw                        match each JSON object exactly as given, with no
                                       envelope added
          -h, --help                   show this help

        Exit status: 0 when at least one event matched, 1 when none did, 2 for an
        invalid pattern, a usage error or an input that could not be read.
        """

    static let rules = """
        Usage: trailscan rules list|validate|test [--rules DIR]...
               trailscan rules export --format cloudformation|terraform [--rules DIR]... [-o FILE]

        Works on the built-in rules plus the rule files (*.json) under each --rules DIR.

        Subcommands:
          list       print each rule's name, base score, tags and file
          validate   check every rule file and print every problem found, as FILE: problem
          test       match each rule's examples as scan would; print ok or FAIL per rule
          export     write the rules as AWS::Events::Rule resources (a CloudFormation JSON
                     template) or aws_cloudwatch_event_rule resources (Terraform); an
                     optional SNS topic parameter adds a target to every rule

        Options:
          --rules DIR                 also load the rule files under DIR; repeatable
          --format FORMAT             export format: cloudformation or terraform
          -o FILE                     write the export to FILE (mode 0600) instead of
                                      standard output
          -h, --help                  show this help

        Exit status: 0 success; 1 when rules test finds an example that behaves unlike
        its label; 2 for a usage error or an invalid rule (validate: any problem).
        """
}
