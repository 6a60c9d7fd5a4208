import CSQLite
import Glibc

/// A failed SQLite call: the result code, SQLite's message and the SQL.
public struct StoreError: Error, Sendable, CustomStringConvertible {
    public var code: Int32
    public var message: String
    public var sql: String?

    public var description: String {
        var text = "database error \(code): \(message)"
        if let sql { text += " (in \(sql.prefix(120)))" }
        return text
    }
}

/// The one owner of a `sqlite3*` connection. The connection is opened
/// without SQLite's per-call mutex, so one thread at a time may use it.
final class SQLiteDatabase {
    private(set) var handle: OpaquePointer?
    let path: String

    /// Process-wide settings, applied once before the first connection opens.
    private static let configured: Void = {
        _ = trailscan_sqlite_disable_memory_statistics()
    }()

    /// Opens (and creates, with mode 0600) the database at `path`.
    init(path: String, readOnly: Bool = false) throws(StoreError) {
        Self.configured
        self.path = path
        if !readOnly {
            // SQLite creates new files with mode 0644 less the umask; creating
            // the file first keeps the findings readable by the owner only.
            let descriptor = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
            guard descriptor >= 0 else {
                throw StoreError(code: SQLITE_CANTOPEN, message: "cannot create \(path): \(String(cString: strerror(errno)))")
            }
            close(descriptor)
        }
        let flags = readOnly ? SQLITE_OPEN_READONLY : (SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE)
        let status = sqlite3_open_v2(path, &handle, flags | SQLITE_OPEN_NOMUTEX, nil)
        guard status == SQLITE_OK else {
            let message = handle.map { String(cString: sqlite3_errmsg($0)) } ?? "out of memory"
            sqlite3_close_v2(handle)
            handle = nil
            throw StoreError(code: status, message: "cannot open \(path): \(message)")
        }
        sqlite3_busy_timeout(handle, 30_000)
    }

    deinit {
        sqlite3_close_v2(handle)
    }

    /// Runs one or more statements that return no rows.
    func execute(_ sql: String) throws(StoreError) {
        var errorMessage: UnsafeMutablePointer<CChar>?
        let status = sqlite3_exec(handle, sql, nil, nil, &errorMessage)
        guard status == SQLITE_OK else {
            let message = errorMessage.map { String(cString: $0) } ?? String(cString: sqlite3_errmsg(handle))
            sqlite3_free(errorMessage)
            throw StoreError(code: status, message: message, sql: sql)
        }
    }

    func prepare(_ sql: String) throws(StoreError) -> SQLiteStatement {
        try SQLiteStatement(database: self, sql: sql)
    }

    /// Runs `body` inside `BEGIN IMMEDIATE ... COMMIT`, rolling back when it throws.
    func transaction<T>(_ body: () throws -> T) throws -> T {
        try execute("BEGIN IMMEDIATE")
        do {
            let result = try body()
            try execute("COMMIT")
            return result
        } catch {
            try? execute("ROLLBACK")
            throw error
        }
    }

    var changes: Int { Int(sqlite3_changes(handle)) }

    func check(_ status: Int32, sql: String? = nil) throws(StoreError) {
        guard status == SQLITE_OK || status == SQLITE_DONE || status == SQLITE_ROW else {
            throw StoreError(code: status, message: String(cString: sqlite3_errmsg(handle)), sql: sql)
        }
    }
}

/// The one owner of a `sqlite3_stmt*`. Bind parameters are 1-based, columns 0-based.
final class SQLiteStatement {
    private var handle: OpaquePointer?
    private let database: SQLiteDatabase
    let sql: String

    fileprivate init(database: SQLiteDatabase, sql: String) throws(StoreError) {
        self.database = database
        self.sql = sql
        let status = sqlite3_prepare_v2(database.handle, sql, -1, &handle, nil)
        guard status == SQLITE_OK else {
            throw StoreError(code: status, message: String(cString: sqlite3_errmsg(database.handle)), sql: sql)
        }
    }

    deinit {
        sqlite3_finalize(handle)
    }

    func bind(_ values: [SQLiteValue]) throws(StoreError) {
        sqlite3_reset(handle)
        sqlite3_clear_bindings(handle)
        for (offset, value) in values.enumerated() {
            let position = Int32(offset + 1)
            let status: Int32
            switch value {
            case .null: status = sqlite3_bind_null(handle, position)
            case .integer(let number): status = sqlite3_bind_int64(handle, position, number)
            case .real(let number): status = sqlite3_bind_double(handle, position, number)
            case .text(let text): status = sqlite3_bind_text(handle, position, text, -1, trailscan_sqlite_transient())
            }
            try database.check(status, sql: sql)
        }
    }

    // MARK: Binding one parameter at a time
    //
    // For statements run thousands of times per scan: no array of values,
    // and text is bound from its UTF-8 storage by length, not converted to
    // a C string first. Call `reset()`, the `bind` calls, then `step()`.

    /// Resets the statement and clears its bindings, so parameters left unbound are null.
    func reset() {
        sqlite3_reset(handle)
        sqlite3_clear_bindings(handle)
    }

    func bind(_ text: String, at position: Int32) throws(StoreError) {
        let status = Self.withUTF8Bytes(of: text) { bindCopy(of: $0, at: position) }
        try database.check(status, sql: sql)
    }

    /// Binds a copy of `bytes`, UTF-8 text, at `position`.
    func bind(bytes: UnsafeBufferPointer<UInt8>, at position: Int32) throws(StoreError) {
        try database.check(bindCopy(of: bytes, at: position), sql: sql)
    }

    /// Calls `body` with the UTF-8 bytes of `text`. A native string's bytes
    /// are read in place, without the copy (a retain and a release) that the
    /// mutating `withUTF8` makes.
    private static func withUTF8Bytes<Result>(of text: String, _ body: (UnsafeBufferPointer<UInt8>) -> Result) -> Result {
        if let result = text.utf8.withContiguousStorageIfAvailable(body) { return result }
        var text = text
        return text.withUTF8(body)
    }

    /// Binds a copy of `bytes` as text and returns SQLite's status.
    private func bindCopy(of bytes: UnsafeBufferPointer<UInt8>, at position: Int32) -> Int32 {
        // An empty buffer may have no address, which SQLite would bind as null.
        guard let base = bytes.baseAddress, !bytes.isEmpty else {
            return sqlite3_bind_text(handle, position, "", 0, trailscan_sqlite_transient())
        }
        return sqlite3_bind_text(handle, position, base, Int32(bytes.count), trailscan_sqlite_transient())
    }

    /// Binds `text`, or null when it is nil.
    func bind(_ text: String?, at position: Int32) throws(StoreError) {
        guard let text else { return }
        try bind(text, at: position)
    }

    func bind(_ number: Int64, at position: Int32) throws(StoreError) {
        try database.check(sqlite3_bind_int64(handle, position, number), sql: sql)
    }

    /// Runs the statement, bound with the calls above, to completion.
    func step() throws(StoreError) {
        defer { sqlite3_reset(handle) }
        try database.check(sqlite3_step(handle), sql: sql)
    }

    /// Binds `text` at `position` and runs the statement to completion.
    /// SQLite reads the text in place instead of copying it first, which
    /// saves a copy of a large value such as a raw event. The parameter is
    /// null again afterwards, so no binding outlives the text's storage.
    func step(binding text: String, at position: Int32) throws(StoreError) {
        if let failure = Self.withUTF8Bytes(of: text, { stepBinding($0, at: position) }) { throw failure }
    }

    /// Binds `bytes` without a copy, steps, and clears the binding.
    private func stepBinding(_ bytes: UnsafeBufferPointer<UInt8>, at position: Int32) -> StoreError? {
        let base = bytes.isEmpty ? nil : bytes.baseAddress
        let bound = base.map { sqlite3_bind_text(handle, position, $0, Int32(bytes.count), nil) }
            ?? sqlite3_bind_text(handle, position, "", 0, trailscan_sqlite_transient())
        var failure: StoreError?
        do throws(StoreError) {
            try database.check(bound, sql: sql)
            try database.check(sqlite3_step(handle), sql: sql)
        } catch {
            failure = error
        }
        sqlite3_reset(handle)
        sqlite3_bind_null(handle, position)
        return failure
    }

    /// Binds `values` and runs the statement to completion.
    func run(_ values: [SQLiteValue] = []) throws(StoreError) {
        try bind(values)
        let status = sqlite3_step(handle)
        try database.check(status, sql: sql)
        sqlite3_reset(handle)
    }

    /// Binds `values` and calls `row` for every result row.
    func query(_ values: [SQLiteValue] = [], row: (SQLiteRow) throws -> Void) throws {
        try bind(values)
        defer { sqlite3_reset(handle) }
        while true {
            let status = sqlite3_step(handle)
            if status == SQLITE_DONE { return }
            guard status == SQLITE_ROW else { try database.check(status, sql: sql); return }
            try row(SQLiteRow(handle: handle))
        }
    }
}

/// A value bound to a statement parameter.
enum SQLiteValue {
    case null
    case integer(Int64)
    case real(Double)
    case text(String)

    init(_ text: String?) {
        self = text.map { .text($0) } ?? .null
    }
}

/// The current row of a query, valid only inside the `query` callback.
struct SQLiteRow {
    fileprivate let handle: OpaquePointer?

    func integer(_ column: Int32) -> Int64 { sqlite3_column_int64(handle, column) }

    func text(_ column: Int32) -> String? {
        guard let pointer = sqlite3_column_text(handle, column) else { return nil }
        return String(cString: pointer)
    }

    func isNull(_ column: Int32) -> Bool { sqlite3_column_type(handle, column) == SQLITE_NULL }
}
