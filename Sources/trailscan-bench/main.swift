import Foundation
import TrailscanCore

// Benchmarks that are not part of the trailscan command. Run through
// `make bench-match`; figures go to docs/benchmarks.md.

let arguments = Array(CommandLine.arguments.dropFirst())
let usage = "usage: trailscan-bench match [--rules N,N,...] PATH ...\n       trailscan-bench scoring PATH ...\n"
guard let command = arguments.first, ["match", "scoring"].contains(command), arguments.count >= 2 else {
    FileHandle.standardError.write(Data(usage.utf8))
    exit(2)
}

if command == "scoring" {
    let benchmark = try ScoringBenchmark(paths: Array(arguments.dropFirst()))
    let result = try benchmark.run()
    print("scoring overhead with the default rules and configuration, fastest of 3 passes")
    print("records \(result.records), findings \(result.findings)")
    print(String(format: "read + scan + match + findings:          %8.3f s", result.pipelineSeconds))
    print(String(format: "same with reasons and baseline keys:     %8.3f s", result.scoredPipelineSeconds))
    print(String(format: "baseline written to SQLite:              %8.3f s", result.baselineCommitSeconds))
    print(String(format: "anomaly rescoring of every finding:      %8.3f s", result.rescoreSeconds))
    print(String(format: "scoring adds %.3f s, %.1f%% of the pipeline without it", result.scoringSeconds, result.overheadPercent))
    exit(0)
}

var paths = Array(arguments.dropFirst())
var ruleCounts = [10, 100, 1000]
if paths.first == "--rules", paths.count >= 2 {
    ruleCounts = paths[1].split(separator: ",").compactMap { Int($0) }
    paths.removeFirst(2)
}
let benchmark = try MatchBenchmark(paths: paths)
print("matching alone over \(benchmark.recordCount) records (events flattened once per rule set)")
print("rules   records/s   matches/record")
var baseline: Double?
for count in ruleCounts {
    let result = try benchmark.run(ruleCount: count)
    baseline = baseline ?? result.recordsPerSecond
    let ratio = result.recordsPerSecond / baseline!
    print(String(format: "%5d %11.0f   %6.3f   (%.2f of the 10-rule rate)", count, result.recordsPerSecond,
                 Double(result.matches) / Double(result.records), ratio))
    print("      " + result.matcherSummary)
}
