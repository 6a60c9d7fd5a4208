import Foundation
import Testing

/// Returns a bare CloudTrail record of an STS call as one compact NDJSON line.
private func stsRecord(eventID: String, eventName: String = "AssumeRole") -> String {
    #"{"eventVersion":"1.08","eventTime":"2024-11-18T04:12:00Z","eventSource":"sts.amazonaws.com","#
        + #""eventName":"\#(eventName)","eventType":"AwsApiCall","awsRegion":"us-east-1","#
        + #""recipientAccountId":"111122223333","eventID":"\#(eventID)"}"#
}

private let stsPattern = #"{"source":["aws.sts"]}"#

@Suite("match command")
struct MatchCommandTests {
    @Test("inline pattern matches envelope view")
    func inlinePattern() throws {
        let folder = try TemporaryFolder()
        let events = folder.url.appendingPathComponent("events.ndjson")
        try (stsRecord(eventID: "e1") + "\n").write(to: events, atomically: true, encoding: .utf8)

        let result = try Trailscan.run(["match", "--pattern", stsPattern, events.path])
        #expect(result.status == 0)
        #expect(result.standardOutput == stsRecord(eventID: "e1") + "\n")
        #expect(result.standardError.isEmpty)
    }

    @Test("raw view sees no envelope")
    func rawView() throws {
        let folder = try TemporaryFolder()
        let events = folder.url.appendingPathComponent("events.ndjson")
        try (stsRecord(eventID: "e1") + "\n").write(to: events, atomically: true, encoding: .utf8)

        let result = try Trailscan.run(["match", "--raw", "--pattern", stsPattern, events.path])
        #expect(result.status == 1)
        #expect(result.standardOutput.isEmpty)

        let rawField = try Trailscan.run(["match", "--raw", "--pattern", #"{"eventSource":["sts.amazonaws.com"]}"#, events.path])
        #expect(rawField.status == 0)
        #expect(rawField.standardOutput == stsRecord(eventID: "e1") + "\n")
    }

    @Test("pattern file and standard input")
    func patternFile() throws {
        let folder = try TemporaryFolder()
        let pattern = folder.url.appendingPathComponent("pattern.json")
        try #"{"detail": {"eventName": ["GetCallerIdentity"]}}"#.write(to: pattern, atomically: true, encoding: .utf8)
        let events = folder.url.appendingPathComponent("events.ndjson")
        let lines = [stsRecord(eventID: "e1"), stsRecord(eventID: "e2", eventName: "GetCallerIdentity")]
        try lines.joined(separator: "\n").write(to: events, atomically: true, encoding: .utf8)

        let fromFile = try Trailscan.run(["match", "--pattern", pattern.path, events.path])
        #expect(fromFile.status == 0)
        #expect(fromFile.standardOutput == lines[1] + "\n")

        let fromDash = try Trailscan.run(["match", "--pattern", pattern.path, "-"], standardInput: events)
        #expect(fromDash.standardOutput == lines[1] + "\n")
        let implicit = try Trailscan.run(["match", "--pattern", pattern.path], standardInput: events)
        #expect(implicit.standardOutput == lines[1] + "\n")
    }

    @Test("NDJSON prints exactly the matching lines")
    func ndjsonLines() throws {
        let folder = try TemporaryFolder()
        let events = folder.url.appendingPathComponent("events.ndjson")
        let lines = (1...6).map { stsRecord(eventID: "e\($0)", eventName: $0.isMultiple(of: 2) ? "AssumeRole" : "GetSessionToken") }
        try lines.joined(separator: "\n").write(to: events, atomically: true, encoding: .utf8)

        let result = try Trailscan.run(["match", "--pattern", #"{"detail":{"eventName":["AssumeRole"]}}"#, events.path])
        #expect(result.status == 0)
        #expect(result.standardOutput == [lines[1], lines[3], lines[5]].map { $0 + "\n" }.joined())
    }

    @Test("gzip and Records input, one line per record")
    func gzipRecords() throws {
        let folder = try TemporaryFolder()
        let plain = folder.url.appendingPathComponent("trail.json")
        let document = "{\n  \"Records\": [\n    " + stsRecord(eventID: "e1").replacingOccurrences(of: ",", with: ",\n      ")
            + ",\n    " + stsRecord(eventID: "e2", eventName: "GetCallerIdentity") + "\n  ]\n}\n"
        try document.write(to: plain, atomically: true, encoding: .utf8)
        let compressed = try gzip(plain, into: folder.url.appendingPathComponent("trail.bin"))

        let result = try Trailscan.run(["match", "--pattern", #"{"detail":{"eventName":["AssumeRole"]}}"#, compressed.path])
        #expect(result.status == 0)
        #expect(result.standardOutput == stsRecord(eventID: "e1") + "\n")
    }

    @Test("lookup-events item prints the decoded record")
    func lookupEvents() throws {
        let folder = try TemporaryFolder()
        let events = folder.url.appendingPathComponent("lookup.json")
        let escaped = stsRecord(eventID: "e1").replacingOccurrences(of: "\"", with: "\\\"")
        try #"{"Events": [{"EventId": "e1", "CloudTrailEvent": "\#(escaped)"}]}"#.write(to: events, atomically: true, encoding: .utf8)

        let result = try Trailscan.run(["match", "--pattern", stsPattern, events.path])
        #expect(result.status == 0)
        #expect(result.standardOutput == stsRecord(eventID: "e1") + "\n")
    }

    @Test("invalid pattern names path and fix")
    func invalidPattern() throws {
        let inline = try Trailscan.run(["match", "--pattern", #"{"detail":{"errorCode":{"exists":true}}}"#, "-"])
        #expect(inline.status == 2)
        #expect(inline.standardError.contains("--pattern"))
        #expect(inline.standardError.contains("detail.errorCode"))
        #expect(inline.standardError.contains(#"[{"exists": true}]"#), "stderr: \(inline.standardError)")

        let folder = try TemporaryFolder()
        let pattern = folder.url.appendingPathComponent("bad-pattern.json")
        try #"{"source": "aws.sts"}"#.write(to: pattern, atomically: true, encoding: .utf8)
        let fromFile = try Trailscan.run(["match", "--pattern", pattern.path, "-"])
        #expect(fromFile.status == 2)
        #expect(fromFile.standardError.contains("bad-pattern.json"))
        #expect(fromFile.standardError.contains("source"))
    }

    @Test("usage errors exit 2", arguments: [
        (["match"], "match needs --pattern"),
        (["match", "--pattern", "/nonexistent/pattern.json", "-"], "pattern file /nonexistent/pattern.json not found"),
        (["match", "--pattern", #"{"source": ["aws.sts"]}"#, "/nonexistent/events.json"], "/nonexistent/events.json not found"),
        (["match", "--pattern", #"{"source": ["#, "-"], "not valid JSON"),
        (["match", "--bogus"], "unknown option --bogus for match"),
    ])
    func usageErrors(arguments: [String], message: String) throws {
        let result = try Trailscan.run(arguments)
        #expect(result.status == 2)
        #expect(result.standardError.contains(message), "stderr: \(result.standardError)")
    }

    @Test("unreadable input exits 2")
    func corruptInput() throws {
        let folder = try TemporaryFolder()
        let truncated = folder.url.appendingPathComponent("truncated.json.gz")
        let plain = folder.url.appendingPathComponent("trail.json")
        try (#"{"Records": ["# + stsRecord(eventID: "e1") + "]}").write(to: plain, atomically: true, encoding: .utf8)
        let whole = try Data(contentsOf: gzip(plain, into: folder.url.appendingPathComponent("whole.gz")))
        try whole.prefix(whole.count / 2).write(to: truncated)

        let result = try Trailscan.run(["match", "--pattern", stsPattern, truncated.path])
        #expect(result.status == 2)
        #expect(result.standardError.contains("truncated.json.gz"))

        let garbage = folder.url.appendingPathComponent("garbage.ndjson")
        try (stsRecord(eventID: "e1") + "\nnot json\n").write(to: garbage, atomically: true, encoding: .utf8)
        let partly = try Trailscan.run(["match", "--pattern", stsPattern, garbage.path])
        #expect(partly.status == 2)
        #expect(partly.standardOutput == stsRecord(eventID: "e1") + "\n")
        #expect(partly.standardError.contains("line 2"))
    }

    @Test("help exits 0")
    func help() throws {
        let result = try Trailscan.run(["match", "--help"])
        #expect(result.status == 0)
        #expect(result.standardOutput.contains("--raw"))
    }
}

/// Compresses `source` with the system `gzip` into `destination`.
private func gzip(_ source: URL, into destination: URL) throws -> URL {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/bin/gzip")
    process.arguments = ["-c", source.path]
    _ = FileManager.default.createFile(atPath: destination.path, contents: nil)
    process.standardOutput = try FileHandle(forWritingTo: destination)
    try process.run()
    process.waitUntilExit()
    return destination
}

private let conformanceFile = sharedFolder.appendingPathComponent("conformance/eventbridge-patterns.jsonl")
private let isConformanceFilePresent = FileManager.default.fileExists(atPath: conformanceFile.path)

@Suite("match conformance vectors")
struct MatchConformanceTests {
    /// Runs every shared EventBridge vector through the binary: the pattern
    /// inline, the event on standard input, `--raw` so the event is matched
    /// exactly as written. Exit 0 means match, 1 no match, 2 an invalid pattern.
    @Test(
        "every vector through match --raw",
        .enabled(if: isConformanceFilePresent, "../shared/conformance/eventbridge-patterns.jsonl is absent, so the vectors cannot run"))
    func vectors() throws {
        let folder = try TemporaryFolder()
        let eventFile = folder.url.appendingPathComponent("event.json")
        let lines = try String(contentsOf: conformanceFile, encoding: .utf8).split(separator: "\n")
        var failures: [String] = []

        for line in lines where !line.allSatisfy(\.isWhitespace) {
            let text = String(line)
            let fields = try #require(JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
            let id = fields["id"] as? String ?? "?"
            // Patterns and events are passed as written: a JSON round trip would rewrite numbers such as 300e-2.
            let pattern = try #require(rawMember("pattern", of: text), "\(id) has no pattern")
            let expected: Int32
            if fields["invalid"] as? Bool == true {
                expected = 2
                try Data("{}".utf8).write(to: eventFile)
            } else {
                expected = (fields["match"] as? Bool == true) ? 0 : 1
                try Data(try #require(rawMember("event", of: text), "\(id) has no event").utf8).write(to: eventFile)
            }

            let result = try Trailscan.run(["match", "--raw", "--pattern", pattern], standardInput: eventFile)
            if result.status != expected {
                failures.append("\(id): expected exit \(expected), got \(result.status) \(result.standardError)")
            }
        }
        #expect(lines.count > 0)
        #expect(failures.isEmpty, "\(failures.count) vectors failed:\n\(failures.joined(separator: "\n"))")
    }
}

/// The text of the value of top-level member `key` in the JSON object `line`,
/// exactly as written, or nil when the object has no such member.
private func rawMember(_ key: String, of line: String) -> String? {
    let bytes = Array(line.utf8)
    var index = 0
    var depth = 0
    var valueStart: Int?
    var pendingKey: String?

    while index < bytes.count {
        let byte = bytes[index]
        switch byte {
        case UInt8(ascii: "\""):
            let start = index
            index += 1
            while bytes[index] != UInt8(ascii: "\"") {
                index += bytes[index] == UInt8(ascii: "\\") ? 2 : 1
            }
            if depth == 1 && valueStart == nil && pendingKey == nil {
                pendingKey = String(decoding: bytes[(start + 1)..<index], as: UTF8.self)
            }
        case UInt8(ascii: ":") where depth == 1 && valueStart == nil:
            if pendingKey == key { valueStart = index + 1 }
        case UInt8(ascii: "{"), UInt8(ascii: "["):
            depth += 1
        case UInt8(ascii: "}"), UInt8(ascii: "]"), UInt8(ascii: ","):
            if depth == 1, let start = valueStart {
                return String(decoding: bytes[start..<index], as: UTF8.self).trimmingCharacters(in: .whitespaces)
            }
            if depth == 1 { pendingKey = nil }
            if byte != UInt8(ascii: ",") { depth -= 1 }
        default:
            break
        }
        index += 1
    }
    return nil
}
