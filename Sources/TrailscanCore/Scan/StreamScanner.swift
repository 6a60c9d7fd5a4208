import Foundation
import Glibc

/// Scans NDJSON on standard input with several workers.
///
/// One thread cuts the stream into line-aligned chunks (`StreamChunker`),
/// `jobs` workers turn chunks into partial results, and the calling thread
/// is the only SQLite writer. It writes each partial into an open
/// transaction as the partial arrives, and commits every `batchRecords`
/// records or `batchSeconds` seconds, whichever comes first, so findings
/// reach the database within seconds even on a slow feed. Writing partials
/// as they arrive spreads the writer's work over the stream instead of
/// leaving a whole batch for the end. The queues are bounded, so memory stays
/// bounded whatever the stream's length.
struct StreamScanner {
    let rules: RuleSet
    let scorer: StaticScorer
    let jobs: Int
    let batchRecords: Int
    let batchSeconds: Double

    /// The store operations that receive the stream's results, one transaction at a time.
    struct Sink {
        /// Opens a transaction.
        var begin: () throws -> Void
        /// Writes a result inside the open transaction and returns how many
        /// of its findings were new.
        var write: (InputResult) throws -> Int
        /// Commits the open transaction.
        var commit: () throws -> Void
        /// Rolls the open transaction back.
        var rollBack: () -> Void
    }

    private struct Partial: Sendable {
        var chunkIndex: Int
        var result: InputResult
    }

    /// Reads the stream to its end (or to a stop request) and returns the
    /// cumulative counts, whose findings have all been committed.
    /// `newFindings` grows by the new findings of each commit.
    func run(chunker: StreamChunker, newFindings: inout Int, sink: Sink) throws -> InputResult {
        let chunks = BlockingQueue<StreamChunker.Chunk>(capacity: jobs * 2)
        let partials = BlockingQueue<Partial>(capacity: jobs * 2)
        let readFailure = FailureBox()

        Thread.detachNewThread {
            do {
                while let chunk = try chunker.next() { chunks.put(chunk) }
            } catch {
                readFailure.set((error as? InputError)?.detail ?? "\(error)")
            }
            chunks.close()
        }
        let finishedWorkers = Counter()
        for _ in 0..<jobs {
            let rules = self.rules
            let scorer = self.scorer
            let workers = jobs
            Thread.detachNewThread {
                WorkerPriority.lowerCurrentThread()
                var processor = RecordProcessor(rules: rules, scorer: scorer)
                while case .element(let chunk) = chunks.take() {
                    partials.put(Partial(chunkIndex: chunk.index, result: Self.process(chunk, with: &processor)))
                }
                if finishedWorkers.increment() == workers {
                    partials.close()
                    // Unmapping the buffers takes milliseconds, better spent
                    // here than on the writer, which still has work to do.
                    chunker.releasePooledBuffers()
                }
            }
        }

        // The stream's counts so far. Each write carries them, with one
        // partial's findings and observations, so that the inputs row is
        // current after every commit.
        var stream = InputResult(path: "stdin", size: 0, modified: InputDiscovery.format(
            seconds: Int64(Date().timeIntervalSince1970), nanoseconds: 0))
        var problemChunk = Int.max
        var isOpen = false
        var uncommitted = 0
        var uncommittedFindings = 0
        var deadline = Date().addingTimeInterval(batchSeconds)

        func write(_ partial: InputResult) throws {
            if !isOpen {
                try sink.begin()
                isOpen = true
            }
            var batch = stream
            batch.size = chunker.bytesRead
            batch.findings = partial.findings
            batch.observations = partial.observations
            batch.accountFirstSeen = partial.accountFirstSeen
            uncommittedFindings += try sink.write(batch)
        }
        func commit() throws {
            if isOpen {
                try sink.commit()
                isOpen = false
            }
            newFindings += uncommittedFindings
            uncommittedFindings = 0
            uncommitted = 0
            deadline = Date().addingTimeInterval(batchSeconds)
        }

        do {
            loop: while true {
                switch partials.take(before: deadline) {
                case .element(let partial):
                    count(partial, into: &stream, problemChunk: &problemChunk)
                    try write(partial.result)
                    uncommitted += partial.result.records
                    if uncommitted >= batchRecords || Date() >= deadline { try commit() }
                case .timedOut:
                    if isOpen { try commit() }
                    deadline = Date().addingTimeInterval(batchSeconds)
                case .closed:
                    break loop
                }
            }
            stream.failure = readFailure.value
            // The last write records the final counts and status, even when
            // the stream held no record.
            try write(InputResult(path: "stdin", size: 0, modified: ""))
            try commit()
        } catch {
            if isOpen { sink.rollBack() }
            throw error
        }
        return stream
    }

    private static func process(_ chunk: StreamChunker.Chunk, with processor: inout RecordProcessor) -> InputResult {
        var result = InputResult(path: "stdin", size: 0, modified: "")
        // Lines the chunker dropped for their length come before the chunk's own.
        result.badRecords = chunk.skippedLines.count
        result.problems = Array(chunk.skippedLines.prefix(3))
        let reader = RecordReader(chunk: chunk.bytes, path: "stdin", firstLine: chunk.firstLine, firstOffset: chunk.offset)
        do {
            try processor.process(reader, into: &result)
        } catch {
            // A chunk contains whole lines, so this is a record cut by the
            // end of the stream. It counts as one unreadable record.
            result.badRecords += 1
            if result.problems.count < 3 { result.problems.append(error.detail) }
        }
        return result
    }

    /// Adds a partial's counts to the stream's, and keeps the problems of
    /// the earliest chunk that had any.
    private func count(_ partial: Partial, into stream: inout InputResult, problemChunk: inout Int) {
        stream.records += partial.result.records
        stream.badRecords += partial.result.badRecords
        if !partial.result.problems.isEmpty && partial.chunkIndex < problemChunk {
            problemChunk = partial.chunkIndex
            stream.problems = partial.result.problems
        }
    }
}

/// The first failure reported by another thread.
private final class FailureBox: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: String?

    func set(_ message: String) {
        lock.lock()
        if stored == nil { stored = message }
        lock.unlock()
    }

    var value: String? {
        lock.lock()
        defer { lock.unlock() }
        return stored
    }
}

/// A thread-safe counter.
private final class Counter: @unchecked Sendable {
    private let lock = NSLock()
    private var count = 0

    func increment() -> Int {
        lock.lock()
        defer { lock.unlock() }
        count += 1
        return count
    }
}
