import Foundation
import TrailscanCore

// Benchmarks that are not part of the trailscan command. Run through
// `make bench-match`; figures go to docs/benchmarks.md.

let arguments = Array(CommandLine.arguments.dropFirst())
guard arguments.first == "match", arguments.count >= 2 else {
    FileHandle.standardError.write(Data("usage: trailscan-bench match [--rules N,N,...] PATH ...\n".utf8))
    exit(2)
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
