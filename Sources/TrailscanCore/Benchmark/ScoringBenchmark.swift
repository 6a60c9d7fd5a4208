import EventPatterns
import Foundation

/// Measures what scoring adds to the per-record pipeline of a scan with the
/// default rules.
///
/// Both variants read every file (gzip and record splitting), scan each
/// record's fields, match the rules and build a `Finding` per match with the
/// redacted event. The scoring variant also records the baseline keys of
/// every record (network, region, eventName, user-agent family, denied
/// calls, account first seen) and computes the ip, time and role reasons of
/// every finding, as `RecordProcessor` does. After the records, it times
/// writing those baseline observations to a temporary store and the anomaly
/// rescoring over all findings. Writing the findings themselves is left out
/// of both, because a scan without scoring would store them too.
///
/// NOTE: records in the `lookup-events` shape are skipped, so run it on
/// S3-layout or NDJSON corpora.
public struct ScoringBenchmark {
    public struct Result: Sendable {
        public var records: Int
        public var findings: Int
        /// The fastest pass of read, scan, match and findings alone.
        public var pipelineSeconds: Double
        /// The fastest pass of the same pipeline with reasons and baseline observations.
        public var scoredPipelineSeconds: Double
        /// Writing the baseline observations to SQLite.
        public var baselineCommitSeconds: Double
        /// `TrailStore.rescore` over every finding.
        public var rescoreSeconds: Double

        public var scoringSeconds: Double {
            scoredPipelineSeconds - pipelineSeconds + baselineCommitSeconds + rescoreSeconds
        }

        /// The time scoring adds, as a percentage of the pipeline without it.
        public var overheadPercent: Double {
            100 * scoringSeconds / pipelineSeconds
        }
    }

    let paths: [String]
    let rules: RuleSet
    let scorer: StaticScorer

    /// Prepares a benchmark over every log file under `paths`, with the
    /// built-in rules and the default scoring configuration.
    public init(paths: [String]) throws {
        self.paths = InputDiscovery(paths: paths).files.filter { $0.kind == .log }.map(\.path)
        self.rules = try RuleSet.load(directories: [])
        self.scorer = StaticScorer(config: .defaults)
    }

    /// Runs `passes` passes of each variant, alternating them, and keeps the
    /// fastest of each. The last scored pass feeds the rescoring.
    public func run(passes: Int = 3) throws -> Result {
        var plain = Double.infinity
        var scored = Double.infinity
        var lastScored = InputResult(path: "benchmark", size: 0, modified: "")
        for _ in 0..<max(1, passes) {
            plain = min(plain, try time { _ = try pass(scoring: false) })
            scored = min(scored, try time { lastScored = try pass(scoring: true) })
        }

        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("trailscan-bench-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let store = try TrailStore(path: folder.appendingPathComponent("bench.db").path)

        var findingsOnly = lastScored
        findingsOnly.baseline = [:]
        findingsOnly.accountFirstSeen = [:]
        findingsOnly.deniedCalls = []
        _ = try store.commit(findingsOnly, runID: 0)

        var baselineOnly = InputResult(path: "baseline", size: 0, modified: "")
        baselineOnly.baseline = lastScored.baseline
        baselineOnly.accountFirstSeen = lastScored.accountFirstSeen
        baselineOnly.deniedCalls = lastScored.deniedCalls
        let commit = try time { _ = try store.commit(baselineOnly, runID: 0) }
        let rescore = try time { try store.rescore(config: scorer.config) }

        return Result(
            records: lastScored.records, findings: lastScored.findings.count, pipelineSeconds: plain,
            scoredPipelineSeconds: scored, baselineCommitSeconds: commit, rescoreSeconds: rescore)
    }

    private func time(_ work: () throws -> Void) throws -> Double {
        let start = DispatchTime.now().uptimeNanoseconds
        try work()
        return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
    }

    /// Reads every file once and returns the findings and, when `scoring`
    /// is true, the reasons and baseline observations.
    private func pass(scoring: Bool) throws -> InputResult {
        var pipeline = BenchmarkPipeline(rules: rules, scorer: scorer, isScoring: scoring)
        var result = InputResult(path: "benchmark", size: 0, modified: "")
        for path in paths {
            let reader = RecordReader(source: try DecompressingReader(path: path))
            while let record = try reader.next() {
                pipeline.process(record.bytes, into: &result)
            }
            if scoring { pipeline.baseline.flush(into: &result) }
        }
        return result
    }
}

/// The per-record steps of `RecordProcessor`, with the scoring steps (the
/// baseline tracker, denied calls and the ip, time and role reasons) behind
/// a flag.
private struct BenchmarkPipeline {
    let rules: RuleSet
    let scorer: StaticScorer
    let isScoring: Bool
    var scanner: FieldScanner
    var hits: [Int] = []
    var workspace = PatternMatcher.Workspace()
    var baseline = BaselineTracker()

    init(rules: RuleSet, scorer: StaticScorer, isScoring: Bool) {
        self.rules = rules
        self.scorer = scorer
        self.isScoring = isScoring
        self.scanner = FieldScanner(trie: FieldTrie(matcherPaths: rules.matcher.fieldPaths))
    }

    mutating func process(_ bytes: UnsafeBufferPointer<UInt8>, into result: inout InputResult) {
        guard let shape = try? scanner.scan(bytes) else { return }
        if case .lookupEventsItem = shape { return }
        guard let timeBytes = scanner.rawBytes(.eventTime), let epoch = EventTime.parse(timeBytes) else { return }
        result.records += 1

        if isScoring {
            let principal = baseline.observe(scanner, epoch: epoch)
            if let principal, let errorCode = scanner.string(.errorCode), AccessDenied.matches(errorCode) {
                result.deniedCalls.append(DeniedCall(principal: principal, epoch: epoch, eventID: scanner.string(.eventID) ?? ""))
            }
        }

        hits.removeAll(keepingCapacity: true)
        rules.matcher.matchingPatterns(in: scanner.event, into: &hits, using: &workspace)
        guard !hits.isEmpty else { return }

        let eventID = scanner.string(.eventID) ?? ""
        let identityType = scanner.string(.identityType)
        let account = scanner.string(.recipientAccountId) ?? scanner.string(.identityAccountId)
        let principal = BaselineTracker.principal(identityType: identityType, scanner: scanner)
        var reasons: [Reason] = []
        if isScoring {
            let facts = EventFacts(
                eventTime: epoch, sourceIPAddress: scanner.string(.sourceIPAddress), identityType: identityType,
                identityARN: scanner.string(.identityARN), sessionIssuerARN: scanner.string(.sessionIssuerARN),
                requestedRoleARN: scanner.string(.requestedRoleARN))
            reasons = scorer.reasons(for: facts)
        }
        let event = Redaction.redacted(bytes)
        for hit in hits {
            let rule = rules.rules[hit]
            result.findings.append(
                Finding(
                    eventID: eventID, rule: rule.name, baseScore: rule.baseScore, staticReasons: reasons,
                    eventTime: EventTime.format(epoch), eventEpoch: epoch, accountID: account,
                    region: scanner.string(.awsRegion), eventSource: scanner.string(.eventSource),
                    eventName: scanner.string(.eventName), principalARN: principal, principalType: identityType,
                    sourceIP: scanner.string(.sourceIPAddress), userAgent: scanner.string(.userAgent),
                    errorCode: scanner.string(.errorCode), source: result.path, event: event))
        }
    }
}
