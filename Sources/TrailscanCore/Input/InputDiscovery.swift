import Foundation
import Glibc

/// One file found for a scan.
struct DiscoveredFile: Sendable {
    enum Kind: Sendable {
        /// A CloudTrail log (or NDJSON, or envelopes) to read.
        case log
        /// A CloudTrail digest file: skipped and recorded.
        case digest
        /// Anything else in a walked folder: skipped and counted.
        case other
    }

    var path: String
    var size: Int64
    /// Modification time, ISO 8601 with nanoseconds.
    var modified: String
    var kind: Kind
    /// True for a file named on the command line, false for one found by walking a folder.
    var isNamed: Bool
}

extension DiscoveredFile {
    /// The delivery time in a CloudTrail log's name, such as `20261101T0200Z`
    /// in `111122223333_CloudTrail_us-east-1_20261101T0200Z_a1b2.json.gz`;
    /// nil for a name without one.
    var deliveryStamp: Substring? {
        let utf8 = path.utf8
        var partStart = utf8.lastIndex(of: ASCII.slash).map { utf8.index(after: $0) } ?? utf8.startIndex
        while partStart < utf8.endIndex {
            let partEnd = utf8[partStart...].firstIndex(of: ASCII.underscore) ?? utf8.endIndex
            if Self.isDeliveryStamp(utf8[partStart..<partEnd]) { return path[partStart..<partEnd] }
            guard partEnd < utf8.endIndex else { break }
            partStart = utf8.index(after: partEnd)
        }
        return nil
    }

    /// Returns whether `part` has the form `YYYYMMDDTHHMMZ` (digits, `T`, digits, `Z`).
    private static func isDeliveryStamp(_ part: Substring.UTF8View) -> Bool {
        var offset = 0
        for byte in part {
            let isValid =
                switch offset {
                case 8: byte == UInt8(ascii: "T")
                case 13: byte == UInt8(ascii: "Z")
                case 14...: false
                default: ASCII.isDigit(byte)
                }
            guard isValid else { return false }
            offset += 1
        }
        return offset == 14
    }

    /// Returns `files` in reading order: first those without a delivery
    /// time in their name, by path, then the others by delivery time and path.
    static func inReadingOrder(_ files: [DiscoveredFile]) -> [DiscoveredFile] {
        files.map { (stamp: $0.deliveryStamp ?? "", file: $0) }
            .sorted { $0.stamp != $1.stamp ? $0.stamp < $1.stamp : $0.file.path < $1.file.path }
            .map(\.file)
    }
}

/// An input discovery that runs on a thread of its own, so that walking the
/// folders overlaps loading the rules and opening the store.
public final class PendingDiscovery: @unchecked Sendable {
    private let condition = NSCondition()
    private var discovery: InputDiscovery?

    /// Starts finding the inputs under `paths`, leaving out `-` (standard input).
    public init(paths: [String]) {
        let filePaths = paths.filter { $0 != "-" }
        Thread.detachNewThread { [self] in
            let found = InputDiscovery(paths: filePaths)
            condition.lock()
            discovery = found
            condition.broadcast()
            condition.unlock()
        }
    }

    /// Waits for the discovery and returns it.
    func result() -> InputDiscovery {
        condition.lock()
        defer { condition.unlock() }
        while discovery == nil { condition.wait() }
        return discovery!
    }
}

/// Finds the inputs of a scan: named files as they are, folders walked
/// recursively in sorted order.
///
/// In a walked folder, a file is a log when its name ends in `.json`,
/// `.json.gz`, `.ndjson`, `.ndjson.gz`, `.jsonl` or `.jsonl.gz`; digest files
/// (`CloudTrail-Digest` in the path) are skipped and recorded, and other
/// names, such as the temporary files `aws s3 sync` writes before renaming,
/// are skipped and counted. Symbolic links to folders are followed once:
/// a folder already visited (same device and inode) is not entered again.
struct InputDiscovery {
    private(set) var files: [DiscoveredFile] = []
    private(set) var problems: [InputError] = []
    private var visited: Set<[UInt64]> = []

    static let logSuffixes = [".json", ".json.gz", ".ndjson", ".ndjson.gz", ".jsonl", ".jsonl.gz"]

    init(paths: [String]) {
        for path in paths {
            add(absolute(path), isNamed: true)
        }
        files.sort { $0.path < $1.path }
    }

    private mutating func add(_ path: String, isNamed: Bool) {
        var info = stat()
        guard stat(path, &info) == 0 else {
            let code = errno
            problems.append(InputError(path: path, message: "cannot read: \(String(cString: strerror(code)))",
                                       hint: Self.hint(forStatError: code, isNamed: isNamed)))
            return
        }
        if (info.st_mode & S_IFMT) == S_IFDIR {
            walk(path, info: info)
            return
        }
        guard (info.st_mode & S_IFMT) == S_IFREG else { return }
        let modified = Self.format(seconds: Int64(info.st_mtim.tv_sec), nanoseconds: Int64(info.st_mtim.tv_nsec))
        files.append(DiscoveredFile(path: path, size: Int64(info.st_size), modified: modified, kind: Self.kind(of: path, isNamed: isNamed), isNamed: isNamed))
    }

    private mutating func walk(_ directory: String, info: stat) {
        let identity = [UInt64(info.st_dev), UInt64(info.st_ino)]
        guard visited.insert(identity).inserted else { return }
        guard let handle = opendir(directory) else {
            problems.append(InputError(path: directory, message: "cannot open the folder: \(String(cString: strerror(errno)))"))
            return
        }
        defer { closedir(handle) }
        var names: [String] = []
        while let entry = readdir(handle) {
            let name = withUnsafePointer(to: entry.pointee.d_name) { pointer in
                pointer.withMemoryRebound(to: CChar.self, capacity: 256) { String(cString: $0) }
            }
            if name != "." && name != ".." { names.append(name) }
        }
        for name in names.sorted() {
            add(directory + "/" + name, isNamed: false)
        }
    }

    private static func hint(forStatError code: Int32, isNamed: Bool) -> String {
        switch code {
        case ELOOP: "a symbolic link points back to itself or to one of its ancestors; fix or remove the link"
        case EACCES: "check the permissions of the file and its folders"
        case ENOENT where !isNamed: "the file was removed during the scan, or it is a link to a missing file"
        default: "check the path"
        }
    }

    static func kind(of path: String, isNamed: Bool) -> DiscoveredFile.Kind {
        if path.contains("CloudTrail-Digest") { return .digest }
        if isNamed { return .log }
        let name = path.split(separator: "/").last.map(String.init) ?? path
        return logSuffixes.contains(where: { name.hasSuffix($0) }) ? .log : .other
    }

    private func absolute(_ path: String) -> String {
        let joined = path.hasPrefix("/") ? path : FileManager.default.currentDirectoryPath + "/" + path
        return (joined as NSString).standardizingPath
    }

    static func format(seconds: Int64, nanoseconds: Int64) -> String {
        let base = EventTime.format(seconds).dropLast()
        let fraction = String(nanoseconds)
        return base + "." + String(repeating: "0", count: 9 - fraction.count) + fraction + "Z"
    }
}
