import EventPatterns
import Foundation

/// Measures what scoring adds to a scan with the default rules.
///
/// The headline figure times whole scans, as `trailscan scan --jobs N`
/// runs them, into a fresh database each: once with scoring and once with
/// its steps switched off (no baseline observations or denied calls, no
/// ip, time and role reasons, no anomaly rescoring). Both store the same
/// findings with their raw events. Passes alternate, and each figure is
/// the median.
///
/// A breakdown follows on one thread: `RecordProcessor` alone (read,
/// scan, match, build findings) with scoring on and off, and with all of
/// scoring but one step, which gives that step's share. It then times
/// writing the baseline observations to a temporary store, and the anomaly
/// rescoring.
public struct ScoringBenchmark {
    public struct Result: Sendable {
        public var records: Int
        public var findings: Int
        public var jobs: Int
        /// Median whole scan without and with scoring.
        public var scanSeconds: Double
        public var scoredScanSeconds: Double
        /// The fastest pass of read, scan, match and findings alone.
        public var pipelineSeconds: Double
        /// The fastest pass of the same pipeline with reasons and baseline observations.
        public var scoredPipelineSeconds: Double
        /// Each per-record step's share of the scored pipeline: the pass
        /// with all of scoring minus the pass without that step.
        public var baselineTrackerSeconds: Double
        public var deniedCallsSeconds: Double
        public var reasonsSeconds: Double
        /// Writing the baseline observations to SQLite.
        public var baselineCommitSeconds: Double
        /// `TrailStore.rescore` over every finding.
        public var rescoreSeconds: Double

        /// The time scoring adds to a whole scan, as a percentage of the scan without it.
        public var scanOverheadPercent: Double {
            100 * (scoredScanSeconds - scanSeconds) / scanSeconds
        }

        public var pipelineScoringSeconds: Double {
            scoredPipelineSeconds - pipelineSeconds + baselineCommitSeconds + rescoreSeconds
        }

        /// The breakdown's total, as a percentage of the one-thread pipeline without scoring.
        public var pipelineOverheadPercent: Double {
            100 * pipelineScoringSeconds / pipelineSeconds
        }
    }

    let paths: [String]
    let rules: RuleSet
    let scorer: StaticScorer

    /// Prepares a benchmark over every log file under `paths`, with the
    /// built-in rules and the default scoring configuration.
    public init(paths: [String]) throws {
        // In the order a scan reads them (see `ScannerBenchmark`).
        self.paths = DiscoveredFile.inReadingOrder(InputDiscovery(paths: paths).files).filter { $0.kind == .log }.map(\.path)
        self.rules = try RuleSet.load(directories: [])
        self.scorer = StaticScorer(config: .defaults)
    }

    /// Runs `scanPasses` whole scans of each variant on `jobs` threads, then
    /// `passes` one-thread pipeline passes of each; variants alternate.
    public func run(jobs: Int, scanPasses: Int = 5, passes: Int = 5) throws -> Result {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("trailscan-bench-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }

        var plainScans: [Double] = []
        var scoredScans: [Double] = []
        for pass in 0..<max(1, scanPasses) {
            for scoring in [false, true] {
                let database = folder.appendingPathComponent("scan-\(pass)-\(scoring).db").path
                var options = ScanOptions(paths: paths, databasePath: database, jobs: jobs)
                options.isScoring = scoring
                let scanner = Scanner(options: options, rules: rules, config: scorer.config) { _ in }
                let seconds = try time { _ = try scanner.run() }
                if scoring { scoredScans.append(seconds) } else { plainScans.append(seconds) }
                for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: database + suffix) }
            }
        }

        // No scoring, all of it, then all of it but one step, in the order
        // of `singleSteps`.
        let singleSteps: [RecordProcessor.ScoringSteps] = [.baseline, .deniedCalls, .reasons]
        let variants: [RecordProcessor.ScoringSteps] = [[], .all] + singleSteps.map { RecordProcessor.ScoringSteps.all.subtracting($0) }
        var fastest = [Double](repeating: .infinity, count: variants.count)
        var lastScored = InputResult(path: "benchmark", size: 0, modified: "")
        for _ in 0..<max(1, passes) {
            for (index, steps) in variants.enumerated() {
                fastest[index] = min(fastest[index], try time {
                    let result = try pass(steps: steps)
                    if steps == .all { lastScored = result }
                })
            }
        }
        let (plain, scored) = (fastest[0], fastest[1])
        let shares = fastest[2...].map { scored - $0 }

        let store = try TrailStore(path: folder.appendingPathComponent("bench.db").path)

        var findingsOnly = lastScored
        findingsOnly.observations = Observations()
        findingsOnly.accountFirstSeen = [:]
        _ = try store.commit(findingsOnly, runID: 0)

        var baselineOnly = InputResult(path: "baseline", size: 0, modified: "")
        // One pass flushed the tracker once per file into one result; a
        // scan commits each file's flush on its own. The earliest sighting
        // per key stands for them, as it did when results kept a dictionary.
        for (key, first) in lastScored.baseline { baselineOnly.observe(key, first) }
        for call in lastScored.observations.deniedCalls {
            baselineOnly.observations.appendDeniedCall(
                principal: lastScored.observations.string(call.principal), epoch: call.epoch,
                eventID: lastScored.observations.string(call.eventID))
        }
        baselineOnly.accountFirstSeen = lastScored.accountFirstSeen
        let commit = try time { _ = try store.commit(baselineOnly, runID: 0) }
        let rescore = try time { try store.rescore(config: scorer.config) }

        return Result(
            records: lastScored.records, findings: lastScored.findings.count, jobs: jobs,
            scanSeconds: Self.median(plainScans), scoredScanSeconds: Self.median(scoredScans), pipelineSeconds: plain,
            scoredPipelineSeconds: scored, baselineTrackerSeconds: shares[0],
            deniedCallsSeconds: shares[1], reasonsSeconds: shares[2],
            baselineCommitSeconds: commit, rescoreSeconds: rescore)
    }

    private static func median(_ values: [Double]) -> Double {
        let sorted = values.sorted()
        let middle = sorted.count / 2
        return sorted.count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
    }

    private func time(_ work: () throws -> Void) throws -> Double {
        let start = DispatchTime.now().uptimeNanoseconds
        try work()
        return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
    }

    /// Reads every file once through `RecordProcessor` with the scoring
    /// `steps` and returns the findings and what those steps gathered.
    private func pass(steps: RecordProcessor.ScoringSteps) throws -> InputResult {
        var processor = RecordProcessor(rules: rules, scorer: scorer, steps: steps)
        var result = InputResult(path: "benchmark", size: 0, modified: "")
        for path in paths {
            try processor.process(RecordReader(source: try DecompressingReader(path: path)), into: &result)
        }
        return result
    }
}
