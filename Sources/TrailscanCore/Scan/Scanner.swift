import Foundation
import Glibc

/// Runs a scan: finds the inputs, reads them on `jobs` worker threads,
/// commits each input's results from this thread (the only SQLite writer),
/// then rescores the anomaly signal over all data.
public struct Scanner {
    let options: ScanOptions
    let rules: RuleSet
    let config: ScoringConfig
    let log: (String) -> Void
    /// The discovery of `options.paths`, when the caller started it early.
    let discovery: PendingDiscovery?

    /// Records per committed batch of standard input. Each commit writes
    /// the index pages it changed to the WAL, so fewer, larger batches cost
    /// less. The 200,000-record benchmark stream took 0.56 s with batches of
    /// 30,000 and 0.59 s with batches of 10,000. A batch of 30,000 takes a
    /// tenth of a second at full speed, and a slow feed still commits every
    /// `streamBatchSeconds`.
    static let streamBatchRecords = 30_000
    /// Maximum time a standard-input batch stays uncommitted, in seconds.
    static let streamBatchSeconds = 2.0
    /// Maximum time the transaction shared by several input files stays
    /// open. Shorter, and the writer spends more time on index pages that
    /// several commits rewrite. Longer, and the last commit grows: it
    /// writes every page changed since the one before to the WAL, after
    /// the workers have finished. On the benchmark corpus, which fit in one
    /// one-second transaction, a quarter of a second cut the time the
    /// writer runs alone at the end from about 0.19 s to 0.09 s and the
    /// whole scan by about 3%.
    static let sharedCommitSeconds = 0.25
    /// Maximum time the shared transaction stays open once at most a tenth
    /// of the inputs are left to start. The last commit then covers at most
    /// this much work, and a few more commits near the end cost less than
    /// one large commit after the workers have finished.
    static let finalCommitSeconds = 0.05

    /// Creates a scan. `discovery`, when given, must have been started with
    /// `options.paths`, and the scan then reads the files it finds.
    public init(
        options: ScanOptions, rules: RuleSet, config: ScoringConfig, discovery: PendingDiscovery? = nil,
        log: @escaping (String) -> Void
    ) {
        self.options = options
        self.rules = rules
        self.config = config
        self.discovery = discovery
        self.log = log
    }

    public func run() throws -> ScanSummary {
        let started = Date()
        let store = try TrailStore(path: options.databasePath)
        try store.checkpointInBackground()
        let runID = try store.beginRun(arguments: options.arguments)
        // Rows added from here on get larger ids: they are this run's new findings.
        let lastIDBeforeRun = try store.maxFindingID()
        let startedRescored = try !store.needsRescore()
        var summary = ScanSummary()
        let scorer = StaticScorer(config: config)

        let filePaths = options.paths.filter { $0 != "-" }
        if !filePaths.isEmpty {
            try scanFiles(filePaths, store: store, runID: runID, scorer: scorer, summary: &summary)
        }
        if options.paths.contains("-") {
            try scanStandardInput(store: store, runID: runID, scorer: scorer, summary: &summary)
        }

        if options.isScoring, try store.needsRescore() {
            let principals = try store.rescoreScope(runID: runID, startedRescored: startedRescored, config: config)
            try store.rescore(config: config, principals: principals)
        }
        summary.findingsBySeverity = try store.severityCounts(runID: runID, after: lastIDBeforeRun)
        if let threshold = options.failOn {
            summary.failOnReached = summary.findingsBySeverity.contains { $0.key >= threshold && $0.value > 0 }
        }
        summary.seconds = Date().timeIntervalSince(started)
        try store.finishRun(runID, inputs: summary.inputsRead, records: summary.records, findings: summary.newFindings,
                            errors: summary.inputsFailed)
        return summary
    }

    private func scanFiles(_ paths: [String], store: TrailStore, runID: Int64, scorer: StaticScorer, summary: inout ScanSummary) throws {
        let discovery = self.discovery?.result() ?? InputDiscovery(paths: paths)
        // Each file is read, and each problem reported, by one shard only.
        let files = discovery.files.filter { options.shard?.contains(path: $0.path) ?? true }
        let problems = discovery.problems.filter { options.shard?.contains(path: $0.path) ?? true }
        for problem in problems {
            log("error: \(problem)")
            summary.inputsFailed += 1
        }
        // One query reads every stored input, instead of one query per file.
        let stored = try store.storedInputs()
        let completed = stored.filter { $0.value.status != "failed" }
        var pending: [DiscoveredFile] = []
        var replaced: Set<String> = []
        for file in files {
            switch file.kind {
            case .other:
                summary.otherFilesSkipped += 1
                // Recorded once, as digests are, so that the report counts
                // the same skipped files as this summary.
                if completed[file.path] == nil {
                    var skipped = InputResult(path: file.path, size: file.size, modified: file.modified)
                    skipped.notALog = "not read: the name does not end in "
                        + InputDiscovery.logSuffixes.joined(separator: ", ")
                        + "; name the file on the command line to read it"
                    _ = try store.commit(skipped, runID: runID, status: "skipped")
                }
            case .digest:
                summary.digestsSkipped += 1
                if completed[file.path] == nil {
                    let skipped = InputResult(path: file.path, size: file.size, modified: file.modified)
                    _ = try store.commit(skipped, runID: runID, status: "skipped")
                }
            case .log:
                if let earlier = completed[file.path] {
                    if !options.rescan && earlier.size == file.size && earlier.modified == file.modified {
                        if earlier.status == "skipped" {
                            summary.otherFilesSkipped += 1
                        } else {
                            summary.inputsAlreadyDone += 1
                        }
                        continue
                    }
                    replaced.insert(file.path)
                } else if stored[file.path] != nil {
                    replaced.insert(file.path)
                }
                pending.append(file)
            }
        }

        // Workers read the logs in delivery-time order. Path order goes
        // through each account and region from its first day, so a worker's
        // first sighting of a key kept moving earlier. On the benchmark
        // corpus (7,136 baseline keys) workers handed over 40,695 sightings
        // in path order and 16,957 in delivery order. Results do not depend
        // on the order.
        let inputs = DiscoveredFile.inReadingOrder(pending)
        let workers = max(1, min(options.jobs, inputs.count))
        let queue = WorkQueue<InputResult>(count: inputs.count, workers: workers, capacity: workers * 4)
        for _ in 0..<workers {
            let rules = self.rules
            let steps: RecordProcessor.ScoringSteps = options.isScoring ? .all : []
            Thread.detachNewThread {
                WorkerPriority.lowerCurrentThread()
                var processor = RecordProcessor(rules: rules, scorer: scorer, steps: steps)
                while let index = queue.takeIndex() {
                    queue.put(Self.read(inputs[index], processor: &processor))
                }
                queue.workerFinished()
            }
        }
        try writeResults(from: queue, replaced: replaced, store: store, runID: runID, summary: &summary)
    }

    /// Commits the workers' results. One transaction stays open for up to
    /// `sharedCommitSeconds` and takes every result that arrives meanwhile.
    /// Each input still commits whole or not at all. Index pages that many
    /// inputs change (baseline, denied calls, report indexes) are written to
    /// the WAL once per commit instead of once per input. A crash loses at
    /// most that much work, which the next run reads again.
    private func writeResults(
        from queue: WorkQueue<InputResult>, replaced: Set<String>, store: TrailStore, runID: Int64,
        summary: inout ScanSummary
    ) throws {
        var open: [InputResult] = []
        var openedAt = Date()
        var newFindings = 0
        var lastIDBeforeOpen: Int64 = 0

        func commitOpen() throws {
            guard !open.isEmpty else { return }
            try store.commitShared()
            summary.newFindings += newFindings
            if options.emit != nil {
                let emitter = FindingEmitter.standardOutput()
                for result in open {
                    _ = try emitter.emitFindings(of: result.path, after: lastIDBeforeOpen, in: store)
                }
            }
            for result in open { record(result, in: &summary) }
            open.removeAll()
            newFindings = 0
        }

        do {
            var interval: TimeInterval { queue.unstartedCount * 10 <= queue.count ? Self.finalCommitSeconds : Self.sharedCommitSeconds }
            while let results = queue.takeAll(until: open.isEmpty ? nil : openedAt + interval) {
                if !results.isEmpty && open.isEmpty {
                    if options.emit != nil { lastIDBeforeOpen = try store.maxFindingID() }
                    try store.beginShared()
                    openedAt = Date()
                }
                for var result in results {
                    result.replacesEarlierFindings = replaced.contains(result.path)
                    newFindings += try store.write(result, runID: runID, status: nil)
                    // Only the counts are needed after the commit.
                    result.findings = []
                    result.observations = Observations()
                    open.append(result)
                }
                if Date() >= openedAt + interval { try commitOpen() }
            }
            try commitOpen()
        } catch {
            if !open.isEmpty { store.rollBackShared() }
            throw error
        }
    }

    /// Commits `result` in its own transaction, then writes its new findings
    /// when `--emit` is set; returns how many findings were new.
    private func commitAndEmit(_ result: InputResult, store: TrailStore, runID: Int64) throws -> Int {
        guard options.emit != nil else {
            return try store.commit(result, runID: runID)
        }
        let lastID = try store.maxFindingID()
        let inserted = try store.commit(result, runID: runID)
        _ = try FindingEmitter.standardOutput().emitFindings(of: result.path, after: lastID, in: store)
        return inserted
    }

    private static func read(_ file: DiscoveredFile, processor: inout RecordProcessor) -> InputResult {
        var result = InputResult(path: file.path, size: file.size, modified: file.modified)
        do {
            let reader = RecordReader(source: try DecompressingReader(path: file.path))
            try processor.process(reader, into: &result)
            if result.records == 0 && result.badRecords == 0 && file.size == 0 {
                result.failure = "the file is empty (0 bytes), so it is not a CloudTrail log; if it is still being downloaded, re-run later"
            }
            // One JSON object without Records or eventTime, found by walking a
            // folder: a configuration or other JSON file, not a damaged log.
            if !file.isNamed && result.records == 0 && result.badRecords == 1 && result.objectsWithoutEventTime == 1
                && !reader.sawWrapper && result.failure == nil
            {
                result.notALog = "not a CloudTrail log: one JSON object with no Records array and no eventTime"
            }
            if result.records == 0 && result.badRecords > 0 && result.notALog == nil {
                result.failure = "no CloudTrail record could be read; the data is not JSON or is damaged"
            }
        } catch {
            result.failure = error.detail
        }
        return result
    }

    private func record(_ result: InputResult, in summary: inout ScanSummary) {
        summary.inputsRead += 1
        summary.records += result.records
        if result.notALog == nil { summary.badRecords += result.badRecords }
        if result.status == "failed" {
            summary.inputsFailed += 1
            log("error: \(result.path): \(result.errorText ?? "failed")")
        } else if result.notALog != nil {
            summary.otherFilesSkipped += 1
            summary.inputsRead -= 1
        }
    }

    /// Reads standard input as a stream. NDJSON is split into line-aligned
    /// chunks and parsed by `jobs` workers (`StreamScanner`); other shapes
    /// (gzip, a `{"Records": [...]}` document, a JSON array) are read in
    /// order by one reader. Either way a batch is committed every
    /// `streamBatchRecords` records or `streamBatchSeconds` seconds, and
    /// SIGTERM or SIGINT ends the stream: what was read is committed and the
    /// scan finishes normally.
    private func scanStandardInput(store: TrailStore, runID: Int64, scorer: StaticScorer, summary: inout ScanSummary) throws {
        StopSignal.install()
        let prefix = try Self.readPrefix(of: STDIN_FILENO)

        var stream: InputResult
        if Self.isLineDelimitedJSON(prefix) {
            let chunker = StreamChunker(fileDescriptor: STDIN_FILENO, prefix: prefix)
            let scanner = StreamScanner(
                rules: rules, scorer: scorer, jobs: max(1, options.jobs),
                batchRecords: Self.streamBatchRecords, batchSeconds: Self.streamBatchSeconds)
            var lastIDBeforeOpen: Int64 = 0
            let emits = options.emit != nil
            let sink = StreamScanner.Sink(
                begin: {
                    if emits { lastIDBeforeOpen = try store.maxFindingID() }
                    try store.beginShared()
                },
                write: { batch in try store.write(batch, runID: runID, status: nil) },
                commit: {
                    try store.commitShared()
                    if emits {
                        try FindingEmitter.standardOutput().emitFindings(of: "stdin", after: lastIDBeforeOpen, in: store)
                    }
                },
                rollBack: { store.rollBackShared() })
            stream = try scanner.run(chunker: chunker, newFindings: &summary.newFindings, sink: sink)
        } else {
            stream = try scanSequentially(prefix: prefix, store: store, runID: runID, scorer: scorer, summary: &summary)
        }

        summary.inputsRead += 1
        summary.records += stream.records
        summary.badRecords += stream.badRecords
        if stream.status == "failed" {
            summary.inputsFailed += 1
            log("error: stdin: \(stream.errorText ?? "failed")")
        }
    }

    /// Reads standard input in order with one reader, for shapes that
    /// cannot be split at newlines.
    private func scanSequentially(
        prefix: [UInt8], store: TrailStore, runID: Int64, scorer: StaticScorer, summary: inout ScanSummary
    ) throws -> InputResult {
        var processor = RecordProcessor(rules: rules, scorer: scorer, steps: options.isScoring ? .all : [])
        let source = DecompressingReader(fileDescriptor: STDIN_FILENO, name: "stdin", prefix: prefix)
        let reader = RecordReader(source: source)
        let started = InputDiscovery.format(seconds: Int64(Date().timeIntervalSince1970), nanoseconds: 0)
        var stream = InputResult(path: "stdin", size: 0, modified: started)
        var committedRecords = 0
        var lastCommit = Date()

        func commit() throws {
            processor.flushBaseline(into: &stream)
            stream.size = source.compressedOffset
            summary.newFindings += try commitAndEmit(stream, store: store, runID: runID)
            stream.findings.removeAll()
            stream.observations.removeAll()
            stream.accountFirstSeen.removeAll()
            committedRecords = stream.records
            lastCommit = Date()
        }

        // NOTE: this reader blocks in read(), so a batch is committed when a
        // record arrives after the deadline, or at the end or a stop request.
        do {
            while let record = try reader.next() {
                processor.process(record, reader: reader, into: &stream)
                if stream.records - committedRecords >= Self.streamBatchRecords
                    || Date().timeIntervalSince(lastCommit) >= Self.streamBatchSeconds
                {
                    try commit()
                }
            }
        } catch let error as InputError {
            // A stop request can cut the last record or gzip member short.
            if !StopSignal.isRaised { stream.failure = error.detail }
        }
        stream.badRecords += reader.problemCount
        for problem in reader.problems where stream.problems.count < 3 {
            stream.problems.append(problem.detail)
        }
        try commit()
        return stream
    }

    /// Reads the start of a stream: up to the first newline, 64 KiB or the
    /// end, enough to tell its shape.
    static func readPrefix(of descriptor: Int32) throws(InputError) -> [UInt8] {
        var prefix: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 64 * 1024)
        while prefix.count < 64 * 1024 && !prefix.contains(ASCII.newline) {
            let count = buffer.withUnsafeMutableBytes { Glibc.read(descriptor, $0.baseAddress, 64 * 1024 - prefix.count) }
            if count > 0 {
                prefix.append(contentsOf: buffer[0..<count])
            } else if count == 0 || StopSignal.isRaised {
                break
            } else if errno != EINTR {
                throw InputError(path: "stdin", message: "read failed: \(String(cString: strerror(errno)))")
            }
        }
        return prefix
    }

    /// Whether a stream that starts with `prefix` is NDJSON: not gzip, and
    /// its first value is an object that is not a `Records` or `Events` wrapper.
    static func isLineDelimitedJSON(_ prefix: [UInt8]) -> Bool {
        guard let first = prefix.firstIndex(where: { !ASCII.isWhitespace($0) }), prefix[first] == ASCII.openBrace else {
            return false
        }
        guard let keyStart = prefix[(first + 1)...].firstIndex(where: { !ASCII.isWhitespace($0) }),
              prefix[keyStart] == ASCII.quote,
              let keyEnd = prefix[(keyStart + 1)...].firstIndex(of: ASCII.quote)
        else { return true }
        let key = prefix[(keyStart + 1)..<keyEnd]
        return !key.elementsEqual("Records".utf8) && !key.elementsEqual("Events".utf8)
    }
}
