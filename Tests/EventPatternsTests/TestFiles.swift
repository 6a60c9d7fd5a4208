#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Paths of files the tests read, found from this source file's location.
enum TestFiles {
    /// The directory that contains this test target's sources.
    static let testsDirectory: String = {
        let file = #filePath
        return String(file[..<file.lastIndex(of: "/")!])
    }()

    /// The package root, two levels above the test target's sources.
    static let packageRoot: String = {
        var path = testsDirectory
        for _ in 0..<2 {
            path = String(path[..<path.lastIndex(of: "/")!])
        }
        return path
    }()

    static let conformanceFile = packageRoot + "/../shared/conformance/eventbridge-patterns.jsonl"
    static let fixturesDirectory = testsDirectory + "/Fixtures"

    static func exists(_ path: String) -> Bool {
        access(path, F_OK) == 0
    }

    /// Returns the names of the `.jsonl` files in `directory`, sorted.
    static func vectorFiles(in directory: String) -> [String] {
        guard let handle = opendir(directory) else { return [] }
        defer { closedir(handle) }
        var names: [String] = []
        while let entry = readdir(handle) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix(while: { $0 != 0 }), as: UTF8.self)
            }
            if name.hasSuffix(".jsonl") { names.append(name) }
        }
        return names.sorted()
    }
}

/// Reads a whole file as UTF-8 text.
func readFile(_ path: String) throws -> String {
    guard let file = fopen(path, "rb") else {
        throw VectorFileError(message: "cannot open \(path): errno \(errno)")
    }
    defer { fclose(file) }
    var bytes: [UInt8] = []
    var buffer = [UInt8](repeating: 0, count: 65536)
    while true {
        let count = fread(&buffer, 1, buffer.count, file)
        if count == 0 { break }
        bytes.append(contentsOf: buffer[0..<count])
    }
    return String(decoding: bytes, as: UTF8.self)
}
