import EventPatterns
import Foundation

/// Output formats of `scan --emit`.
public enum EmitFormat: String, Sendable, CaseIterable {
    /// One JSON object per finding and line.
    case ndjson
}

/// Writes the findings that each commit added, as NDJSON, for pipelines.
///
/// Lines are read back from the database after the commit, so they carry
/// exactly what was stored. That is the static score: the anomaly signal
/// depends on all data and is added by the rescoring at the end of the scan,
/// after these lines were written.
struct FindingEmitter {
    /// Receives the lines of one commit, each ending in a newline.
    let write: (String) -> Void

    /// Creates an emitter that writes to standard output, one `write(2)` per commit.
    static func standardOutput() -> FindingEmitter {
        FindingEmitter { text in
            FileHandle.standardOutput.write(Data(text.utf8))
        }
    }

    /// Writes every finding of `source` whose row id is above `lastID`, in
    /// row order; returns how many lines were written.
    ///
    /// A commit inserts new rows with ids above every existing id, because
    /// SQLite picks max(rowid) + 1 until the largest id reaches 2^63 - 1
    /// (SQLite documentation, "Rowid Tables"). So the rows above the id read
    /// before the commit are its new findings. A re-delivered event whose existing row
    /// only changed its `source` keeps its id and is not written again.
    @discardableResult
    func emitFindings(of source: String, after lastID: Int64, in store: TrailStore) throws -> Int {
        var text = ""
        var count = 0
        try store.database.prepare(
            """
            SELECT event_id, rule, score, severity, event_time, account_id, region, event_source, event_name,
                   principal_arn, source_ip, reasons, source
            FROM findings WHERE source = ?1 AND id > ?2 ORDER BY id
            """
        ).query([.text(source), .integer(lastID)]) { row in
            text += Self.line(row) + "\n"
            count += 1
        }
        if count > 0 { write(text) }
        return count
    }

    private static func line(_ row: SQLiteRow) -> String {
        func text(_ column: Int32) -> JSONValue {
            row.text(column).map { .string($0) } ?? .null
        }
        let score = row.integer(2)
        let reasons = (try? JSONValue(parsing: row.text(11) ?? "[]")) ?? .array([])
        let members: [(String, JSONValue)] = [
            ("event_id", text(0)), ("rule", text(1)), ("score", .number(Double(score), text: String(score))),
            ("severity", text(3)), ("event_time", text(4)), ("account_id", text(5)), ("region", text(6)),
            ("event_source", text(7)), ("event_name", text(8)), ("principal_arn", text(9)), ("source_ip", text(10)),
            ("reasons", reasons), ("source", text(12)),
        ]
        return JSONValue.object(members.map { JSONMember(key: $0.0, value: $0.1) }).serialized
    }
}

extension TrailStore {
    /// Returns the largest `findings.id`, or 0 when the table is empty.
    func maxFindingID() throws -> Int64 {
        var id: Int64 = 0
        try database.prepare("SELECT coalesce(max(id), 0) FROM findings").query { row in id = row.integer(0) }
        return id
    }
}
