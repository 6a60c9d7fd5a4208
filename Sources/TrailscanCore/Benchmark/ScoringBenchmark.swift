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
/// every finding. Both run `RecordProcessor` itself, with its scoring steps
/// switched on or off. After the records, it times
/// writing those baseline observations to a temporary store and the anomaly
/// rescoring over all findings. Writing the findings themselves is left out
/// of both, because a scan without scoring would store them too.
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

    /// Reads every file once through `RecordProcessor` and returns the
    /// findings and, when `scoring` is true, the reasons and baseline observations.
    private func pass(scoring: Bool) throws -> InputResult {
        var processor = RecordProcessor(rules: rules, scorer: scorer, isScoring: scoring)
        var result = InputResult(path: "benchmark", size: 0, modified: "")
        for path in paths {
            try processor.process(RecordReader(source: try DecompressingReader(path: path)), into: &result)
        }
        return result
    }
}
