import Foundation

/// A bounded first-in, first-out queue between threads. `put` waits while
/// the queue is full; `take` waits while it is empty, until `close()`.
final class BlockingQueue<Element: Sendable>: @unchecked Sendable {
    enum Taken {
        case element(Element)
        case timedOut
        case closed
    }

    private let condition = NSCondition()
    private let capacity: Int
    private var elements: [Element] = []
    private var isClosed = false

    init(capacity: Int) {
        self.capacity = capacity
    }

    func put(_ element: Element) {
        condition.lock()
        while elements.count >= capacity && !isClosed { condition.wait() }
        elements.append(element)
        condition.broadcast()
        condition.unlock()
    }

    /// No more elements will be put; takers drain what is left.
    func close() {
        condition.lock()
        isClosed = true
        condition.broadcast()
        condition.unlock()
    }

    /// The next element, waiting at most until `deadline`, or without a
    /// time limit when it is nil.
    func take(before deadline: Date? = nil) -> Taken {
        condition.lock()
        defer { condition.unlock() }
        while elements.isEmpty && !isClosed {
            // Foundation on Linux traps on wait(until: .distantFuture), so an
            // unlimited wait uses wait().
            guard let deadline else {
                condition.wait()
                continue
            }
            if !condition.wait(until: deadline) { return .timedOut }
        }
        guard !elements.isEmpty else { return .closed }
        condition.broadcast()
        return .element(elements.removeFirst())
    }
}
