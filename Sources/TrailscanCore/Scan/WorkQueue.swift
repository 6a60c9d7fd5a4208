import Foundation

/// Hands input indices to worker threads and their results to the single
/// writer, holding at most `capacity` finished results so that memory stays
/// bounded when the writer is slower than the readers.
final class WorkQueue<Result: Sendable>: @unchecked Sendable {
    private let condition = NSCondition()
    /// The number of inputs.
    let count: Int
    private let capacity: Int
    private var nextIndex = 0
    private var results: [Result] = []
    private var finishedWorkers = 0
    private let workers: Int

    init(count: Int, workers: Int, capacity: Int) {
        self.count = count
        self.workers = workers
        self.capacity = capacity
    }

    /// The next input index for a worker, or nil when all are taken.
    func takeIndex() -> Int? {
        condition.lock()
        defer { condition.unlock() }
        guard nextIndex < count else { return nil }
        nextIndex += 1
        return nextIndex - 1
    }

    /// The number of inputs that no worker has taken yet.
    var unstartedCount: Int {
        condition.lock()
        defer { condition.unlock() }
        return count - nextIndex
    }

    /// Queues a result, waiting while the queue is full.
    func put(_ result: Result) {
        condition.lock()
        while results.count >= capacity { condition.wait() }
        results.append(result)
        condition.broadcast()
        condition.unlock()
    }

    func workerFinished() {
        condition.lock()
        finishedWorkers += 1
        condition.broadcast()
        condition.unlock()
    }

    /// Returns every queued result in queue order, waiting for at least one
    /// until `deadline` (for ever when nil). The result is empty when the
    /// deadline passed first, and nil when every worker has finished and the
    /// queue is empty.
    func takeAll(until deadline: Date? = nil) -> [Result]? {
        condition.lock()
        defer { condition.unlock() }
        while results.isEmpty && finishedWorkers < workers {
            if let deadline {
                if !condition.wait(until: deadline) { break }
            } else {
                condition.wait()
            }
        }
        if results.isEmpty { return finishedWorkers < workers ? [] : nil }
        let queued = results
        results.removeAll(keepingCapacity: true)
        condition.broadcast()
        return queued
    }
}
