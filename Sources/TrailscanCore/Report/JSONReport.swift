import EventPatterns

/// The `report --format json` output: one JSON object whose keys are
/// documented in docs/report-json.md. Strings go through
/// `JSONValue.writeQuoted`, which escapes quotes, backslashes and control
/// characters, so any consumer gets the exact event text back.
struct JSONReport: ReportRenderer {
    /// Raised when the document's keys or meanings change.
    static let formatVersion = 1
    private var isFirstFinding = true

    func writeSummary(_ summary: ReportSummary, to output: ReportOutput) throws {
        let scanned = summary.scanned
        var members: [JSONMember] = [
            member("format_version", number(Self.formatVersion)),
            member("generated_at", .string(summary.generatedAt)),
            member("filters", filters(summary)),
            member("period", .object([
                member("first_event_time", string(summary.firstEventTime)),
                member("last_event_time", string(summary.lastEventTime)),
            ])),
            member("scanned", .object([
                member("runs", number(scanned.runs)),
                member("first_run_started_at", string(scanned.firstRunStarted)),
                member("last_run_finished_at", string(scanned.lastRunFinished)),
                member("inputs", number(scanned.inputs)),
                member("failed_inputs", number(scanned.failedInputs)),
                member("skipped_inputs", number(scanned.skippedInputs)),
                member("records", number(scanned.records)),
            ])),
            member("finding_count", number(summary.findingCount)),
            member("by_severity", .object(Severity.allCases.reversed().map {
                member($0.rawValue, number(summary.severityCounts[$0] ?? 0))
            })),
            member("by_rule", groups(summary.rules, key: "rule")),
            member("by_account", groups(summary.accounts, key: "account_id")),
            member("by_region", groups(summary.regions, key: "region")),
            member("top_principals", .array(summary.principals.map { principal in
                .object([
                    member("principal_arn", .string(principal.principalARN)),
                    member("findings", number(principal.findings)),
                    member("total_score", number(principal.totalScore)),
                    member("max_score", number(principal.maximumScore)),
                ])
            })),
            member("timeline", .array(summary.timeline.map { day in
                .object([member("date", .string(day.date))] + Severity.allCases.reversed().map {
                    member($0.rawValue, number(day.counts[$0] ?? 0))
                })
            })),
            member("listed_count", number(summary.listedCount)),
        ]
        members.append(member("findings", .array([])))

        // Every member but the empty findings array, which is streamed.
        let document = JSONValue.object(members).serialized
        try output.write(String(document.dropLast(3)) + "[")
    }

    mutating func writeFinding(_ finding: ReportedFinding, rank: Int, to output: ReportOutput) throws {
        let event: JSONValue = (try? JSONValue(parsing: finding.event)) ?? .string(finding.event)
        let object = JSONValue.object([
            member("rank", number(rank)),
            member("id", number(Int(finding.id))),
            member("event_id", .string(finding.eventID)),
            member("rule", .string(finding.rule)),
            member("score", number(finding.score)),
            member("severity", .string(finding.severity)),
            member("event_time", .string(finding.eventTime)),
            member("account_id", string(finding.accountID)),
            member("region", string(finding.region)),
            member("event_source", string(finding.eventSource)),
            member("event_name", string(finding.eventName)),
            member("action", .string(finding.action)),
            member("principal_arn", string(finding.principalARN)),
            member("principal_type", string(finding.principalType)),
            member("source_ip", string(finding.sourceIP)),
            member("user_agent", string(finding.userAgent)),
            member("error_code", string(finding.errorCode)),
            member("reasons", .array(finding.reasons.map { reason in
                .object([
                    member("signal", .string(reason.signal.rawValue)),
                    member("points", number(reason.points)),
                    member("detail", .string(reason.detail)),
                ])
            })),
            member("source", .string(finding.source)),
            member("event", event),
        ])
        try output.write((isFirstFinding ? "\n" : ",\n") + object.serialized)
        isFirstFinding = false
    }

    func writeEnd(_ summary: ReportSummary, to output: ReportOutput) throws {
        try output.write(isFirstFinding ? "]}\n" : "\n]}\n")
    }

    private func filters(_ summary: ReportSummary) -> JSONValue {
        let filter = summary.filter
        return .object([
            member("since", string(filter.since.map(EventTime.format))),
            member("until", string(filter.until.map(EventTime.format))),
            member("account", string(filter.account)),
            member("rule", string(filter.rule)),
            member("min_severity", string(filter.minimumSeverity?.rawValue)),
            member("limit", summary.limit.map(number) ?? .null),
        ])
    }

    private func groups(_ groups: [GroupCount], key: String) -> JSONValue {
        .array(groups.map { group in
            .object([
                member(key, string(group.key)),
                member("findings", number(group.findings)),
                member("max_score", number(group.maximumScore)),
            ])
        })
    }

    private func member(_ key: String, _ value: JSONValue) -> JSONMember { JSONMember(key: key, value: value) }
    private func number(_ value: Int) -> JSONValue { .number(Double(value), text: String(value)) }
    private func string(_ value: String?) -> JSONValue { value.map { .string($0) } ?? .null }
}
