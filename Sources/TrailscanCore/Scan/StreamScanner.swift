import Foundation
import Glibc

/// Scans NDJSON on standard input with several workers.
///
/// One thread cuts the stream into line-aligned chunks (`StreamChunker`),
/// `jobs` workers turn chunks into partial results, and the calling thread,
/// the only SQLite writer, merges the partials and commits a batch every
/// `batchRecords` records or `batchSeconds` seconds, whichever comes first,
/// so findings reach the database within seconds even on a slow feed. The
/// queues are bounded, so memory stays bounded whatever the stream's length.
struct StreamScanner {
    let rules: RuleSet
    let scorer: StaticScorer
    let jobs: Int
    let batchRecords: Int
    let batchSeconds: Double

    private struct Partial: Sendable {
        var chunkIndex: Int
        var result: InputResult
    }

    /// Reads the stream to its end (or to a stop request) and returns the
    /// cumulative result, whose findings have all been committed.
    /// `commit` stores one batch and returns how many findings were new.
    func run(chunker: StreamChunker, newFindings: inout Int, commit commitBatch: (InputResult) throws -> Int) throws -> InputResult {
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
                var processor = RecordProcessor(rules: rules, scorer: scorer)
                while case .element(let chunk) = chunks.take() {
                    partials.put(Partial(chunkIndex: chunk.index, result: Self.process(chunk, with: &processor)))
                }
                if finishedWorkers.increment() == workers { partials.close() }
            }
        }

        var stream = InputResult(path: "stdin", size: 0, modified: InputDiscovery.format(
            seconds: Int64(Date().timeIntervalSince1970), nanoseconds: 0))
        var problemChunk = Int.max
        var uncommitted = 0
        var deadline = Date().addingTimeInterval(batchSeconds)
        func commit() throws {
            stream.size = chunker.bytesRead
            newFindings += try commitBatch(stream)
            stream.findings.removeAll()
            stream.baseline.removeAll()
            stream.accountFirstSeen.removeAll()
            stream.deniedCalls.removeAll()
            uncommitted = 0
            deadline = Date().addingTimeInterval(batchSeconds)
        }

        loop: while true {
            switch partials.take(before: deadline) {
            case .element(let partial):
                merge(partial.result, into: &stream)
                if !partial.result.problems.isEmpty && partial.chunkIndex < problemChunk {
                    problemChunk = partial.chunkIndex
                    stream.problems = partial.result.problems
                }
                uncommitted += partial.result.records
                if uncommitted >= batchRecords || Date() >= deadline { try commit() }
            case .timedOut:
                if uncommitted > 0 || !stream.findings.isEmpty { try commit() }
                deadline = Date().addingTimeInterval(batchSeconds)
            case .closed:
                break loop
            }
        }
        stream.failure = readFailure.value
        try commit()
        return stream
    }

    private static func process(_ chunk: StreamChunker.Chunk, with processor: inout RecordProcessor) -> InputResult {
        var result = InputResult(path: "stdin", size: 0, modified: "")
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

    private func merge(_ partial: InputResult, into stream: inout InputResult) {
        stream.records += partial.records
        stream.badRecords += partial.badRecords
        stream.findings += partial.findings
        for (key, seen) in partial.baseline { stream.observe(key, seen) }
        for (account, epoch) in partial.accountFirstSeen { stream.observeAccount(account, epoch: epoch) }
        stream.deniedCalls += partial.deniedCalls
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
