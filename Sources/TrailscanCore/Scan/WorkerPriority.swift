import Glibc

/// Scheduling priority for the threads that read and match records.
///
/// A scan has one SQLite writer and a worker per core. With only a fair
/// share of the cores the writer falls behind, and at the end of the scan
/// it stores the queued results alone while the other cores idle. Workers
/// therefore run with a nice value 5 above the process's, so that the
/// writer runs whenever it has work.
///
/// NOTE: with autogroup scheduling, or a cgroup per service, the nice value
/// orders only the threads of the group. Elsewhere the workers also yield
/// to other programs.
enum WorkerPriority {
    static let niceIncrement: Int32 = 5

    /// Lowers the calling thread's priority, or does nothing when that fails.
    static func lowerCurrentThread() {
        // On Linux the nice value belongs to the thread, and 0 names the calling one.
        errno = 0
        let current = getpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0)
        guard errno == 0 else { return }
        _ = setpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0, min(19, current + niceIncrement))
    }
}
