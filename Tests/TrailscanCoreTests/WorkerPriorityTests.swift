import Foundation
import Glibc
import Testing

@testable import TrailscanCore

@Suite("WorkerPriority")
struct WorkerPriorityTests {
    /// Returns the nice value of a new thread before and after it lowers its priority.
    private func niceValues() -> (before: Int32, after: Int32) {
        let done = DispatchSemaphore(value: 0)
        nonisolated(unsafe) var values: (Int32, Int32) = (0, 0)
        Thread.detachNewThread {
            let before = getpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0)
            WorkerPriority.lowerCurrentThread()
            values = (before, getpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0))
            done.signal()
        }
        done.wait()
        return values
    }

    @Test func lowersOnlyTheCallingThread() {
        let callerNice = getpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0)
        let (before, after) = niceValues()
        #expect(before == callerNice)
        #expect(after == min(19, callerNice + 5))
        #expect(getpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0) == callerNice)
    }
}
