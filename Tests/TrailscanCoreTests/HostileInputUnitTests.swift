import EventPatterns
import Foundation
import Testing

@testable import TrailscanCore

/// Scans `text` as one record with a field scanner that extracts the paths
/// of `patterns`, and returns the scanner for inspection.
private func scanRecord(_ text: String, patterns: [String] = []) throws -> (FieldScanner, PatternMatcher) {
    let matcher = PatternMatcher(try patterns.map { try Pattern(parsing: $0) })
    var scanner = FieldScanner(trie: FieldTrie(matcherPaths: matcher.fieldPaths))
    let bytes = Array(text.utf8)
    _ = try bytes.withUnsafeBufferPointer { record throws(FieldScanner.SyntaxError) in
        try scanner.scan(record)
    }
    return (scanner, matcher)
}

/// Scans raw bytes as one record and returns the syntax error, or nil when
/// the scan succeeds.
private func scanError(_ bytes: [UInt8]) -> FieldScanner.SyntaxError? {
    var scanner = FieldScanner(trie: FieldTrie(matcherPaths: []))
    do {
        _ = try bytes.withUnsafeBufferPointer { record throws(FieldScanner.SyntaxError) in
            try scanner.scan(record)
        }
        return nil
    } catch {
        return error
    }
}

/// Returns the indexes of the patterns that match the scanner's last event.
private func matches(_ scanner: FieldScanner, _ matcher: PatternMatcher) -> [Int] {
    var hits: [Int] = []
    matcher.matchingPatterns(in: scanner.event, into: &hits)
    return hits
}

private func nested(depth: Int) -> String {
    String(repeating: "[", count: depth) + String(repeating: "]", count: depth)
}

private let goodLine = #"{"eventTime":"2025-06-11T02:15:00Z","eventName":"ConsoleLogin"}"#

@Suite("Hostile input, unit level", .timeLimit(.minutes(2)))
struct HostileInputUnitTests {
    // MARK: - Size

    @Test("5 MB string split across many reads")
    func largeRecordManyReads() throws {
        let payload = String(repeating: "x", count: 5 << 20)
        let record = #"{"eventTime":"2025-06-11T02:15:00Z","big":"\#(payload)","tail":"a\"b"}"#
        let read = try readRecords(record + "\n" + goodLine + "\n", initialCapacity: 16)

        #expect(read.failure == nil)
        #expect(read.records.count == 2)
        #expect(read.records.first?.utf8.count == record.utf8.count)
        #expect(read.records.last == goodLine)
    }

    @Test("string ending in a backslash at a read boundary")
    func escapeAtReadBoundary() throws {
        // With a 16-byte first buffer, lengths 1...40 put the backslash of
        // the escape at every position relative to the buffer's end.
        for count in 1...40 {
            let record = #"{"eventTime":"\#(String(repeating: "y", count: count))\"q"}"#
            let read = try readRecords(record + "\n" + goodLine, initialCapacity: 16)
            #expect(read.records == [record, goodLine], "prefix of \(count) bytes")
        }
    }

    @Test("whitespace padding larger than the buffer")
    func whitespacePadding() throws {
        let padding = String(repeating: " \n\t\r", count: 500_000)
        let read = try readRecords(goodLine + padding + goodLine + padding, initialCapacity: 16)

        #expect(read.failure == nil)
        #expect(read.records == [goodLine, goodLine])
    }

    @Test("garbage line longer than the buffer is skipped")
    func longGarbageLine() throws {
        let garbage = String(repeating: "\u{1}garbage", count: 300_000)
        let read = try readRecords(goodLine + "\n" + garbage + "\n" + goodLine, initialCapacity: 16)

        #expect(read.failure == nil)
        #expect(read.records == [goodLine, goodLine])
        #expect(read.problemCount == 1)
        #expect(read.problems.first?.location?.hasPrefix("line 2,") == true)
    }

    // MARK: - Nesting

    @Test("10,000 levels of nesting in a line")
    func deepNestingLine() throws {
        let deep = #"{"eventTime":"2025-06-11T02:15:00Z","x":\#(nested(depth: 10_000))}"#
        let read = try readRecords(deep + "\n" + goodLine + "\n", initialCapacity: 16)

        #expect(read.records == [goodLine])
        #expect(read.problemCount == 1)
        #expect(read.problems.first?.message.contains("nesting deeper than 512 levels") == true)
    }

    @Test("10,000 levels of nesting in a Records array")
    func deepNestingRecords() throws {
        let read = try readRecords(#"{"Records":[\#(goodLine),\#(nested(depth: 10_000))]}"#)

        #expect(read.records == [goodLine])
        #expect(read.failure?.message.contains("nesting deeper than 512 levels") == true)
    }

    @Test("field scanner rejects nesting past its limit")
    func fieldScannerDepth() throws {
        let error = scanError(Array(#"{"a":\#(nested(depth: 10_000))}"#.utf8))
        #expect(error?.message == "nesting deeper than 512 levels")
    }

    @Test("pattern parser rejects 10,000 levels of nesting")
    func patternParserDepth() throws {
        let text = String(repeating: #"{"a":"#, count: 10_000) + "[1]" + String(repeating: "}", count: 10_000)
        #expect(throws: JSONSyntaxError.self) { try JSONValue(parsing: text) }
        #expect(throws: PatternError.self) { try Pattern(parsing: text) }
    }

    // MARK: - Bytes inside strings

    @Test("invalid UTF-8 inside a string is kept as replacement characters")
    func invalidUTF8() throws {
        var bytes = Array(#"{"eventTime":"2025-06-11T02:15:00Z","eventName":"Con"#.utf8)
        bytes += [0xC3, 0x28, 0xFF, 0xED, 0xA0, 0x80]
        bytes += Array(#""}"#.utf8)
        #expect(scanError(bytes) == nil)

        var scanner = FieldScanner(trie: FieldTrie(matcherPaths: []))
        _ = try bytes.withUnsafeBufferPointer { record throws(FieldScanner.SyntaxError) in try scanner.scan(record) }
        let name = try #require(scanner.string(.eventName))
        #expect(name.hasPrefix("Con"))
        #expect(name.contains("\u{FFFD}"))
    }

    @Test("raw NUL byte inside a string is a syntax error")
    func rawNulByte() throws {
        let bytes = Array(#"{"eventName":"a"#.utf8) + [0] + Array(#"b"}"#.utf8)
        let error = try #require(scanError(bytes))
        #expect(error.message == "control character inside a string")
        #expect(error.offset == 15)
    }

    @Test("escaped NUL and lone surrogate decode without failing")
    func escapedNul() throws {
        let (scanner, _) = try scanRecord(#"{"eventName":"a\u0000b\ud800c"}"#)
        #expect(scanner.string(.eventName) == "a\u{0}b\u{FFFD}c")
    }

    @Test("NUL bytes at the start of a line are a bad line")
    func nulLine() throws {
        let bytes = [UInt8](repeating: 0, count: 100) + [ASCII.newline] + Array(goodLine.utf8)
        let read = try readRecords(bytes, initialCapacity: 16)

        #expect(read.records == [goodLine])
        #expect(read.problemCount == 1)
        #expect(read.problems.first?.message.contains("byte 0x0") == true)
    }

    // MARK: - Numbers

    @Test(
        "extreme numbers scan and compare",
        arguments: [
            ("1e999", true), ("-1e999", false), ("-0", false), ("0e-999", false),
            ("123456789012345678901234567890", true), ("-123456789012345678901234567890", false),
        ])
    func extremeNumbers(text: String, isPositive: Bool) throws {
        let (scanner, matcher) = try scanRecord(
            #"{"count":\#(text)}"#, patterns: [#"{"detail": {"count": [{"numeric": [">", 0]}]}}"#])
        #expect(matches(scanner, matcher) == (isPositive ? [0] : []))
    }

    @Test("number grammar errors are rejected", arguments: ["01", "1.", "1e", "-", "+1", "0x10", ".5", "1e+"])
    func invalidNumbers(text: String) {
        #expect(scanError(Array(#"{"count":\#(text)}"#.utf8)) != nil)
    }

    // MARK: - Duplicate keys

    @Test("duplicate keys: core field keeps the first, patterns see both")
    func duplicateKeys() throws {
        let (scanner, matcher) = try scanRecord(
            #"{"eventName":"GetObject","eventName":"ConsoleLogin","eventTime":"2025-06-11T02:15:00Z"}"#,
            patterns: [#"{"detail": {"eventName": ["ConsoleLogin"]}}"#, #"{"detail": {"eventName": ["GetObject"]}}"#])
        #expect(scanner.string(.eventName) == "GetObject")
        #expect(matches(scanner, matcher) == [0, 1])
    }

    // MARK: - Gzip

    @Test("gzip bomb stops at the decompressed-size limit")
    func gzipBomb() throws {
        let compressed = try gzip([UInt8](repeating: 0x20, count: 8 << 20), level: 9)
        #expect(compressed.count < 20_000)

        let result = try decompressFile(compressed, maximumOutput: 1 << 20)
        guard case .failure(let error) = result else {
            Issue.record("an 8 MiB output passed a 1 MiB limit")
            return
        }
        #expect(error.message == "decompresses to more than 1048576 bytes")
        #expect(error.hint?.contains("gzip bomb") == true)
    }

    @Test("size limit counts every gzip member")
    func gzipBombAcrossMembers() throws {
        let member = try gzip([UInt8](repeating: 0x20, count: 600_000), level: 9)
        let result = try decompressFile(member + member, maximumOutput: 1_000_000)
        guard case .failure(let error) = result else {
            Issue.record("two 600 kB members passed a 1 MB limit")
            return
        }
        #expect(error.message == "decompresses to more than 1000000 bytes")
    }

    @Test("gzip bomb through the record reader ends the input with the limit error")
    func gzipBombRecordReader() throws {
        let compressed = try gzip(Array((goodLine + "\n").utf8) + [UInt8](repeating: 0x20, count: 4 << 20), level: 9)
        try withTemporaryDirectory { directory in
            let path = try writeFile(compressed, named: "bomb.json.gz", in: directory)
            let reader = RecordReader(source: try DecompressingReader(path: path, maximumOutput: 1 << 20))
            let first = try reader.next()
            #expect(first.map { String(decoding: $0.bytes, as: UTF8.self) } == goodLine)
            #expect {
                _ = try reader.next()
            } throws: { error in
                (error as? InputError)?.message == "decompresses to more than 1048576 bytes"
            }
        }
    }

    // MARK: - Fuzzing entry points

    @Test("fuzz entry points survive the seed corpora")
    func fuzzSeedCorpora() throws {
        for (folder, entryPoint) in [
            ("FuzzJSONScanner", FuzzEntryPoints.scanRecord), ("FuzzRecordReader", { FuzzEntryPoints.readInput($0) }),
        ] as [(String, (UnsafeRawBufferPointer) -> Void)] {
            let inputs = try fuzzInputs(in: folder)
            #expect(!inputs.isEmpty, "no inputs in Fuzz/Corpus/\(folder)")
            for input in inputs {
                input.withUnsafeBytes { entryPoint($0) }
            }
        }
    }

    @Test("fuzz crash regressions run cleanly")
    func fuzzRegressions() throws {
        for (folder, entryPoint) in [
            ("FuzzJSONScanner", FuzzEntryPoints.scanRecord), ("FuzzRecordReader", { FuzzEntryPoints.readInput($0) }),
        ] as [(String, (UnsafeRawBufferPointer) -> Void)] {
            for input in try fuzzInputs(in: folder, root: "Regressions") {
                input.withUnsafeBytes { entryPoint($0) }
            }
        }
    }

    @Test("pattern fuzz inputs parse or fail cleanly")
    func fuzzPatternInputs() throws {
        let event = try JSONValue(
            parsing: #"{"source": "aws.iam", "detail": {"eventName": "CreateAccessKey", "count": -0.5, "tags": [{"key": "a"}]}}"#)
        let inputs = try fuzzInputs(in: "FuzzPatternParser") + fuzzInputs(in: "FuzzPatternParser", root: "Regressions")
        #expect(!inputs.isEmpty, "no inputs in Fuzz/Corpus/FuzzPatternParser")
        for input in inputs {
            guard let pattern = try? Pattern(parsing: String(decoding: input, as: UTF8.self)) else { continue }
            _ = pattern.matches(event)
        }
    }
}

/// The repository's `Fuzz/` folder, found from this file's path.
private let fuzzFolder = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("Fuzz")

/// Every file in `Fuzz/<root>/<target>`, or none when the folder is absent.
private func fuzzInputs(in target: String, root: String = "Corpus") throws -> [Data] {
    let folder = fuzzFolder.appendingPathComponent(root).appendingPathComponent(target)
    guard FileManager.default.fileExists(atPath: folder.path) else { return [] }
    return try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted().map {
        try Data(contentsOf: folder.appendingPathComponent($0))
    }
}
