import CSQLite
import Foundation
import Testing

/// The repository root, found from this file's path.
let repositoryRoot = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

/// `../shared` beside the repository: present in CI, absent in a user's fresh clone.
let sharedFolder = repositoryRoot.deletingLastPathComponent().appendingPathComponent("shared")
let sharedCorpus = sharedFolder.appendingPathComponent("corpus")
let isSharedCorpusPresent = FileManager.default.fileExists(atPath: sharedCorpus.appendingPathComponent("AWSLogs").path)
let sharedCorpusAbsent = "../shared/corpus is absent (a fresh clone); these checks run in CI"

let samplesFolder = repositoryRoot.appendingPathComponent("samples")

/// The output of one run of the binary.
struct RunResult {
    var status: Int32
    var standardOutput: String
    var standardError: String
}

/// Runs the built `trailscan` binary, draining both pipes while it runs.
enum Trailscan {
    static var binary: URL {
        if let override = ProcessInfo.processInfo.environment["TRAILSCAN_BINARY"] {
            return URL(fileURLWithPath: override)
        }
        let testExecutable = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        return testExecutable.deletingLastPathComponent().appendingPathComponent("trailscan")
    }

    @discardableResult
    static func run(_ arguments: [String], standardInput: URL? = nil, directory: URL? = nil,
                    environment: [String: String] = [:]) throws -> RunResult {
        let process = Process()
        process.executableURL = binary
        process.arguments = arguments
        if let directory { process.currentDirectoryURL = directory }
        var processEnvironment = ProcessInfo.processInfo.environment
        processEnvironment.removeValue(forKey: "TRAILSCAN_DB")
        for (key, value) in environment { processEnvironment[key] = value }
        process.environment = processEnvironment

        let output = Pipe()
        let error = Pipe()
        process.standardOutput = output
        process.standardError = error
        if let standardInput {
            process.standardInput = try FileHandle(forReadingFrom: standardInput)
        } else {
            process.standardInput = FileHandle.nullDevice
        }
        try process.run()

        let outputData = DrainedPipe(output)
        let errorData = DrainedPipe(error)
        process.waitUntilExit()
        return RunResult(status: process.terminationStatus, standardOutput: outputData.text(), standardError: errorData.text())
    }
}

/// Reads a pipe to its end on a background thread, so a child that writes a
/// lot never blocks on a full pipe.
final class DrainedPipe: @unchecked Sendable {
    private var data = Data()
    private let done = DispatchSemaphore(value: 0)

    init(_ pipe: Pipe) {
        let handle = pipe.fileHandleForReading
        Thread.detachNewThread { [self] in
            data = handle.readDataToEndOfFile()
            done.signal()
        }
    }

    func text() -> String {
        done.wait()
        return String(decoding: data, as: UTF8.self)
    }
}

/// A read-only view of a findings database, through the system SQLite.
final class Database {
    private var handle: OpaquePointer?

    init(_ path: String) throws {
        guard sqlite3_open_v2(path, &handle, SQLITE_OPEN_READONLY, nil) == SQLITE_OK else {
            throw DatabaseError(message: "cannot open \(path)")
        }
    }

    deinit { sqlite3_close_v2(handle) }

    /// Every row of `sql`, each column as text ("NULL" for SQL NULL).
    func rows(_ sql: String) throws -> [[String]] {
        var statement: OpaquePointer?
        guard sqlite3_prepare_v2(handle, sql, -1, &statement, nil) == SQLITE_OK else {
            throw DatabaseError(message: String(cString: sqlite3_errmsg(handle)) + " in " + sql)
        }
        defer { sqlite3_finalize(statement) }
        var rows: [[String]] = []
        while sqlite3_step(statement) == SQLITE_ROW {
            let columns = sqlite3_column_count(statement)
            rows.append((0..<columns).map { column in
                sqlite3_column_text(statement, column).map { String(cString: $0) } ?? "NULL"
            })
        }
        return rows
    }

    /// The single value of a one-row, one-column query.
    func value(_ sql: String) throws -> String {
        try rows(sql).first?.first ?? "NULL"
    }
}

struct DatabaseError: Error, CustomStringConvertible {
    var message: String
    var description: String { message }
}

/// A fresh temporary folder, removed when the value is released.
final class TemporaryFolder {
    let url: URL

    init() throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("trailscan-tests-" + UUID().uuidString)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(at: url) }

    func path(_ name: String) -> String { url.appendingPathComponent(name).path }
}

/// The decompressed bytes of a gzip file, through the system `gzip`.
func gunzip(_ url: URL) throws -> Data {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/bin/gzip")
    process.arguments = ["-dc", url.path]
    let output = Pipe()
    process.standardOutput = output
    try process.run()
    let data = DrainedPipe(output)
    process.waitUntilExit()
    return Data(data.text().utf8)
}

/// Every regular file under `folder`, sorted.
func files(under folder: URL) -> [URL] {
    let enumerator = FileManager.default.enumerator(at: folder, includingPropertiesForKeys: [.isRegularFileKey])
    var result: [URL] = []
    while let url = enumerator?.nextObject() as? URL {
        if (try? url.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile) == true { result.append(url) }
    }
    return result.sorted { $0.path < $1.path }
}
