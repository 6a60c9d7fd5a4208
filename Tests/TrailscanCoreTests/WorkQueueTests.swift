import Testing

@testable import TrailscanCore

@Suite("WorkQueue")
struct WorkQueueTests {
    @Test func countsInputsNotYetTaken() {
        let queue = WorkQueue<Int>(count: 3, workers: 1, capacity: 4)
        #expect(queue.count == 3)
        #expect(queue.unstartedCount == 3)
        #expect(queue.takeIndex() == 0)
        #expect(queue.unstartedCount == 2)
        #expect(queue.takeIndex() == 1)
        #expect(queue.takeIndex() == 2)
        #expect(queue.unstartedCount == 0)
        #expect(queue.takeIndex() == nil)
        #expect(queue.unstartedCount == 0)
    }

    @Test func returnsResultsThenEnds() {
        let queue = WorkQueue<Int>(count: 2, workers: 1, capacity: 4)
        queue.put(7)
        queue.put(8)
        #expect(queue.takeAll() == [7, 8])
        queue.workerFinished()
        #expect(queue.takeAll() == nil)
    }
}
