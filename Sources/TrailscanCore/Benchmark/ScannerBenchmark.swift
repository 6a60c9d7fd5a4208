import EventPatterns
import Foundation

/// Measures two per-record steps on one thread, with the records already
/// decompressed in memory: the field scanner alone, and what the baseline
/// tracker adds to it.
///
/// The records lie back to back in one buffer, as in a decompressed file,
/// so the scanner streams through memory as it does in a scan. Each figure
/// is the fastest of `passes`. The tracker's share is the difference
/// between passes that scan, parse eventTime and observe, and passes that
/// only scan and parse. Each pass starts with an empty tracker.
public struct ScannerBenchmark {
    public struct Result: Sendable {
        public var records: Int
        public var bytes: Int
        public var scanSeconds: Double
        public var trackedSeconds: Double

        public var megabytesPerSecond: Double { Double(bytes) / 1e6 / scanSeconds }
        public var trackerNanosecondsPerRecord: Double { (trackedSeconds - scanSeconds) / Double(records) * 1e9 }
    }

    let buffer: [UInt8]
    let ranges: [Range<Int>]
    let trie: FieldTrie

    /// Loads every record of the given files (any input shape, gzip or not).
    public init(paths: [String]) throws {
        var buffer: [UInt8] = []
        var ranges: [Range<Int>] = []
        // In the order a scan reads them, so that as many records move a
        // first sighting earlier as in a scan.
        for file in DiscoveredFile.inReadingOrder(InputDiscovery(paths: paths).files) where file.kind == .log {
            let reader = RecordReader(source: try DecompressingReader(path: file.path))
            while let record = try reader.next() {
                ranges.append(buffer.count..<(buffer.count + record.bytes.count))
                buffer.append(contentsOf: record.bytes)
            }
        }
        self.buffer = buffer
        self.ranges = ranges
        self.trie = FieldTrie(matcherPaths: try RuleSet.load(directories: []).matcher.fieldPaths)
    }

    public func run(passes: Int = 5) -> Result {
        var fastest = (scan: Double.infinity, tracked: Double.infinity)
        for _ in 0..<max(1, passes) {
            fastest.scan = min(fastest.scan, pass(tracking: false))
            fastest.tracked = min(fastest.tracked, pass(tracking: true))
        }
        return Result(records: ranges.count, bytes: buffer.count, scanSeconds: fastest.scan, trackedSeconds: fastest.tracked)
    }

    private func pass(tracking: Bool) -> Double {
        var scanner = FieldScanner(trie: trie)
        var tracker = BaselineTracker()
        let start = DispatchTime.now().uptimeNanoseconds
        buffer.withUnsafeBufferPointer { all in
            for range in ranges {
                guard (try? scanner.scan(UnsafeBufferPointer(rebasing: all[range]))) != nil,
                      let time = scanner.rawBytes(.eventTime), let epoch = EventTime.parse(time)
                else { continue }
                if tracking { tracker.observe(scanner, epoch: epoch) }
            }
        }
        var result = InputResult(path: "benchmark", size: 0, modified: "")
        tracker.flush(into: &result)
        return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
    }
}
