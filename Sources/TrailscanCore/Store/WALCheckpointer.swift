import CSQLite
import Foundation

/// A thread that copies the write-ahead log into the database file, so
/// that the writer does not wait for checkpoints.
///
/// SQLite's automatic checkpoint runs inside the commit that pushes the
/// WAL past 1000 pages, on the committing thread. It copies the pages and
/// calls `fdatasync` on the WAL and on the database file, and on this
/// machine each call takes about 20 ms after a commit of several megabytes
/// (`strace -T`). During that time the writer takes no results, so the
/// workers stall once their queue is full.
///
/// This type replaces the automatic checkpoint on the writer's connection
/// with a WAL hook. When a commit leaves at least `requestFrames` frames in
/// the WAL, the hook wakes the checkpoint thread, which runs a passive
/// checkpoint on its own connection. A passive checkpoint takes no lock
/// that the writer needs, so the writer goes on committing meanwhile.
///
/// SQLite starts the WAL again from its beginning only in a transaction
/// that began after every frame was copied. A writer that begins its next
/// transaction as soon as it commits rarely gives the thread that chance,
/// so the WAL keeps growing. When it reaches `writerFrames` frames, the
/// writer waits for the thread's checkpoint, if one is running, and then
/// checkpoints the rest itself, as SQLite would. Its next transaction
/// starts the WAL again, so the WAL's size stays bounded.
///
/// Each such wait stalls the writer for two or more `fdatasync` calls,
/// and the workers behind it. The default bound, 16,384 frames (256 MiB
/// with 16 KiB pages), lets a scan's writer go on without those waits.
/// When the writer pauses for results, the thread's checkpoint completes
/// during the pause and the WAL starts again: with the default rules the
/// benchmark scan's WAL peaked at 56 MiB. A writer that never pauses
/// grows the WAL up to the bound. With 1000 extra rules on the
/// benchmark corpus the WAL reached 99 MiB. That scan took 0.725 s, and
/// 0.767 s with a bound of 4,000 frames (medians of 15 alternating runs).
///
/// A checkpoint that fails loses nothing: the frames stay in the WAL, and
/// the next checkpoint, or the last connection's close, copies them.
final class WALCheckpointer: @unchecked Sendable {
    let requestFrames: Int32
    let writerFrames: Int32
    private let connection: SQLiteDatabase
    private weak var writer: SQLiteDatabase?
    private let condition = NSCondition()
    private var isRequested = false
    private var isCheckpointing = false
    private var isStopping = false
    private var isFinished = false

    /// Starts the thread and installs the hook on `writer`. Call `stop()`
    /// before `writer` closes.
    init(writer: SQLiteDatabase, requestFrames: Int32 = 1000, writerFrames: Int32 = 16_384) throws(StoreError) {
        self.requestFrames = requestFrames
        self.writerFrames = writerFrames
        self.writer = writer
        connection = try SQLiteDatabase(path: writer.path)
        // A connection learns that the file is in WAL mode only when it
        // first reads it. Until then a checkpoint does nothing.
        try connection.execute("PRAGMA journal_mode = WAL")
        let context = Unmanaged.passUnretained(self).toOpaque()
        sqlite3_wal_hook(writer.handle, { context, database, _, frames in
            let checkpointer = Unmanaged<WALCheckpointer>.fromOpaque(context!).takeUnretainedValue()
            checkpointer.writerCommitted(frames: frames, database: database)
            return SQLITE_OK
        }, context)
        Thread.detachNewThread { [self] in run() }
    }

    /// Removes the hook, lets a running checkpoint finish and ends the thread.
    /// The writer's connection checkpoints what is left when it closes.
    func stop() {
        if let writer { sqlite3_wal_hook(writer.handle, nil, nil) }
        condition.lock()
        isStopping = true
        condition.broadcast()
        while !isFinished { condition.wait() }
        condition.unlock()
    }

    /// Wakes the thread, or checkpoints on the writer's own connection, as
    /// `frames` requires. SQLite calls it on the writer's thread after each
    /// commit, with the number of frames in the WAL.
    private func writerCommitted(frames: Int32, database: OpaquePointer?) {
        condition.lock()
        if frames >= writerFrames {
            // Only one checkpoint runs at a time, so the writer's own would
            // find the thread's in progress and give up at once.
            isRequested = false
            while isCheckpointing { condition.wait() }
            condition.unlock()
            sqlite3_wal_checkpoint_v2(database, nil, SQLITE_CHECKPOINT_PASSIVE, nil, nil)
            return
        }
        if frames >= requestFrames {
            isRequested = true
            condition.signal()
        }
        condition.unlock()
    }

    private func run() {
        condition.lock()
        while true {
            while !isRequested && !isStopping { condition.wait() }
            if isStopping { break }
            isRequested = false
            isCheckpointing = true
            condition.unlock()
            sqlite3_wal_checkpoint_v2(connection.handle, nil, SQLITE_CHECKPOINT_PASSIVE, nil, nil)
            condition.lock()
            isCheckpointing = false
            condition.broadcast()
        }
        isFinished = true
        condition.broadcast()
        condition.unlock()
    }
}
