import Foundation

/// Measures how long the reader takes to decompress every gzip file of a
/// tree, on one thread, in its two modes: zlib streaming into a 1 MiB
/// buffer, and the whole file read and decoded at once by `trailscan_inflate`.
///
/// Both modes read the files from disk (the page cache, after the first
/// pass) and check each member's CRC-32. Each figure is the fastest of
/// `passes`.
public struct InflateBenchmark {
    public struct Result: Sendable {
        public var files: Int
        /// Decompressed bytes.
        public var bytes: Int
        public var streamedSeconds: Double
        public var wholeSeconds: Double
    }

    let paths: [String]

    public init(paths: [String]) {
        self.paths = InputDiscovery(paths: paths).files.filter { $0.kind == .log && $0.path.hasSuffix(".gz") }.map(\.path)
    }

    public func run(passes: Int = 5) throws -> Result {
        let buffer = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: 1 << 20)
        defer { buffer.deallocate() }
        var streamed = Double.infinity
        var whole = Double.infinity
        var bytes = 0
        for _ in 0..<passes {
            var start = Date()
            bytes = 0
            for path in paths {
                let reader = try DecompressingReader(path: path, decodesWhole: false)
                while case let count = try reader.read(into: buffer), count > 0 { bytes += count }
            }
            streamed = min(streamed, Date().timeIntervalSince(start))

            start = Date()
            var wholeBytes = 0
            for path in paths {
                let reader = try DecompressingReader(path: path)
                if let file = try reader.takeWholeOutput() {
                    wholeBytes += file.count
                } else {
                    while case let count = try reader.read(into: buffer), count > 0 { wholeBytes += count }
                }
            }
            whole = min(whole, Date().timeIntervalSince(start))
            precondition(wholeBytes == bytes, "the two modes returned \(wholeBytes) and \(bytes) bytes")
        }
        return Result(files: paths.count, bytes: bytes, streamedSeconds: streamed, wholeSeconds: whole)
    }
}
