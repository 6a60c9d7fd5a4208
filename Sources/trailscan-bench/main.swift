import Foundation
import TrailscanCore

// Benchmarks that are not part of the trailscan command. Run through
// `make bench-match`, `make bench-scoring`, `make bench-scanner` and
// `make bench-inflate`; figures go to docs/benchmarks.md.

let arguments = Array(CommandLine.arguments.dropFirst())
let usage = """
    usage: trailscan-bench match [--rules N,N,...] PATH ...
           trailscan-bench scoring [--jobs N] PATH ...
           trailscan-bench scanner PATH ...
           trailscan-bench inflate PATH ...

    """
guard let command = arguments.first, ["match", "scoring", "scanner", "inflate"].contains(command), arguments.count >= 2
else {
    FileHandle.standardError.write(Data(usage.utf8))
    exit(2)
}

if command == "scanner" {
    let benchmark = try ScannerBenchmark(paths: Array(arguments.dropFirst()))
    let result = benchmark.run()
    print("field scanner and baseline tracker on one thread, records in memory, fastest of 5 passes")
    print(String(format: "records %d, %.1f MB of JSON", result.records, Double(result.bytes) / 1e6))
    print(String(format: "  scan:                  %8.3f s  %6.0f MB/s", result.scanSeconds, result.megabytesPerSecond))
    print(String(format: "  scan + tracker:        %8.3f s", result.trackedSeconds))
    print(String(format: "  tracker per record:    %8.1f ns", result.trackerNanosecondsPerRecord))
    exit(0)
}

if command == "inflate" {
    let result = try InflateBenchmark(paths: Array(arguments.dropFirst())).run()
    let megabytes = Double(result.bytes) / 1e6
    print("gzip files decompressed on one thread, fastest of 5 passes")
    print(String(format: "files %d, %.1f MB decompressed", result.files, megabytes))
    print(String(format: "  zlib, streamed:        %8.3f s  %6.0f MB/s", result.streamedSeconds, megabytes / result.streamedSeconds))
    print(String(format: "  trailscan_inflate:     %8.3f s  %6.0f MB/s", result.wholeSeconds, megabytes / result.wholeSeconds))
    print(String(format: "  ratio:                 %8.2f", result.streamedSeconds / result.wholeSeconds))
    exit(0)
}

if command == "scoring" {
    var paths = Array(arguments.dropFirst())
    var jobs = ProcessInfo.processInfo.activeProcessorCount
    if paths.first == "--jobs", paths.count >= 2, let count = Int(paths[1]) {
        jobs = count
        paths.removeFirst(2)
    }
    let benchmark = try ScoringBenchmark(paths: paths)
    let result = try benchmark.run(jobs: jobs)
    print("scoring overhead with the default rules and configuration")
    print("records \(result.records), findings \(result.findings)")
    print("whole scan, --jobs \(result.jobs), median of 5 alternating runs:")
    print(String(format: "  without scoring:                       %8.3f s", result.scanSeconds))
    print(String(format: "  with scoring:                          %8.3f s", result.scoredScanSeconds))
    print(String(format: "  scoring adds %.1f%% to the scan", result.scanOverheadPercent))
    print("breakdown on one thread, fastest of 5 passes:")
    print(String(format: "  read + scan + match + findings:        %8.3f s", result.pipelineSeconds))
    print(String(format: "  same with reasons and baseline keys:   %8.3f s", result.scoredPipelineSeconds))
    print(String(format: "    of which the baseline tracker:       %8.3f s", result.baselineTrackerSeconds))
    print(String(format: "    of which denied calls:               %8.3f s", result.deniedCallsSeconds))
    print(String(format: "    of which ip, time and role reasons:  %8.3f s", result.reasonsSeconds))
    print(String(format: "  baseline written to SQLite:            %8.3f s", result.baselineCommitSeconds))
    print(String(format: "  anomaly rescoring of every finding:    %8.3f s", result.rescoreSeconds))
    print(String(format: "  together %.3f s, %.1f%% of the pipeline without scoring", result.pipelineScoringSeconds,
                 result.pipelineOverheadPercent))
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
