import Foundation
import Glibc
import Testing

@testable import TrailscanCore

@Suite("Background WAL checkpoints")
struct WALCheckpointerTests {
    /// Opens a database in WAL mode with 4 KiB pages and a table of blobs.
    private static func openDatabase(_ path: String) throws -> SQLiteDatabase {
        let database = try SQLiteDatabase(path: path)
        try database.execute("PRAGMA page_size = 4096")
        try database.execute("PRAGMA journal_mode = WAL")
        try database.execute("PRAGMA synchronous = NORMAL")
        try database.execute("CREATE TABLE blobs (id INTEGER PRIMARY KEY, body BLOB NOT NULL)")
        return database
    }

    /// Commits `count` transactions of ten rows, each row a page or so.
    private static func commit(_ count: Int, to database: SQLiteDatabase) throws {
        for _ in 0..<count {
            try database.execute("BEGIN IMMEDIATE")
            try database.execute(
                "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 10) "
                    + "INSERT INTO blobs (body) SELECT randomblob(3500) FROM n")
            try database.execute("COMMIT")
        }
    }

    private static func fileSize(_ path: String) -> Int {
        var status = stat()
        return stat(path, &status) == 0 ? Int(status.st_size) : 0
    }

    @Test("thread copies WAL pages")
    func checkpointsOffTheWriter() throws {
        try withTemporaryDirectory { directory in
            let path = directory + "/wal.db"
            let database = try Self.openDatabase(path)
            let sizeBefore = Self.fileSize(path)
            // 30 pages in the WAL wake the thread. The writer itself never
            // checkpoints below 100,000 pages, nor does SQLite below 1000.
            let checkpointer = try WALCheckpointer(writer: database, requestFrames: 30, writerFrames: 100_000)
            try Self.commit(10, to: database)

            let deadline = Date().addingTimeInterval(10)
            while Self.fileSize(path) <= sizeBefore + 50 * 4096 && Date() < deadline { usleep(10_000) }
            #expect(Self.fileSize(path) > sizeBefore + 50 * 4096)
            checkpointer.stop()
        }
    }

    @Test("writer bounds WAL size")
    func writerBoundsTheLog() throws {
        try withTemporaryDirectory { directory in
            let path = directory + "/wal.db"
            let database = try Self.openDatabase(path)
            let checkpointer = try WALCheckpointer(writer: database, requestFrames: 20, writerFrames: 100)
            // About 2,000 pages in all. A writer that begins its next
            // transaction at once never lets the WAL start again unless it
            // checkpoints itself, so without the bound the WAL would hold
            // every page.
            try Self.commit(200, to: database)
            let frameSize = 4096 + 24
            #expect(Self.fileSize(path + "-wal") <= 32 + (100 + 15) * frameSize)
            checkpointer.stop()

            var rows: Int64 = 0
            try database.prepare("SELECT count(*) FROM blobs").query { row in rows = row.integer(0) }
            #expect(rows == 2000)
            var check = ""
            try database.prepare("PRAGMA integrity_check").query { row in check = row.text(0) ?? "" }
            #expect(check == "ok")
        }
    }
}
