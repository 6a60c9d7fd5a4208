import Testing

@testable import TrailscanCore

/// What a `RecordReader` returned for one input, copied out of its buffer.
struct ReadRecords {
    var records: [String] = []
    var offsets: [Int64] = []
    var lookupEventsFlags: [Bool] = []
    var sawWrapper = false
    var problemCount = 0
    var problems: [InputError] = []
    /// The error that ended the input, if any.
    var failure: InputError?
    /// True when reading stopped at `maximumRecords` rather than at the end.
    var stoppedEarly = false
}

/// Writes `bytes` to a temporary file and reads it with a `RecordReader`
/// whose buffer starts at `initialCapacity` bytes, so that small capacities
/// force refills and records split across reads.
/// Reading stops after `maximumRecords` records, so that a reader that
/// never reaches the end fails the test instead of hanging it.
func readRecords(
    _ bytes: [UInt8], initialCapacity: Int = 16, maximumRecords: Int = 1_000, decodesWhole: Bool = true
) throws -> ReadRecords {
    try withTemporaryDirectory { directory in
        let path = try writeFile(bytes, named: "input.json", in: directory)
        var output = ReadRecords()
        do throws(InputError) {
            let source = try DecompressingReader(path: path, decodesWhole: decodesWhole)
            let reader = RecordReader(source: source, initialCapacity: initialCapacity)
            defer {
                output.sawWrapper = reader.sawWrapper
                output.problemCount = reader.problemCount
                output.problems = reader.problems
            }
            while let record = try reader.next() {
                if output.records.count == maximumRecords {
                    output.stoppedEarly = true
                    break
                }
                output.records.append(String(decoding: record.bytes, as: UTF8.self))
                output.offsets.append(record.offset)
                output.lookupEventsFlags.append(record.isLookupEventsItem)
            }
        } catch {
            output.failure = error
        }
        return output
    }
}

func readRecords(_ text: String, initialCapacity: Int = 16, maximumRecords: Int = 1_000) throws -> ReadRecords {
    try readRecords(Array(text.utf8), initialCapacity: initialCapacity, maximumRecords: maximumRecords)
}

@Suite("RecordReader")
struct RecordReaderTests {
    @Test("Records wrapper with no records")
    func emptyRecords() throws {
        let read = try readRecords(#"{"Records":[]}"#)
        #expect(read.records == [])
        #expect(read.sawWrapper)
        #expect(read.failure == nil)
    }

    @Test("Records wrapper with one record", arguments: [16, 1 << 20])
    func oneRecord(capacity: Int) throws {
        let read = try readRecords(#"{"Records":[{"eventID":"a","n":1}]}"#, initialCapacity: capacity)
        #expect(read.records == [#"{"eventID":"a","n":1}"#])
        #expect(read.offsets == [12])
        #expect(read.lookupEventsFlags == [false])
        #expect(read.sawWrapper)
        #expect(read.failure == nil)
    }

    @Test("Records wrapper with many records", arguments: [16, 1 << 20])
    func manyRecords(capacity: Int) throws {
        let records = [
            #"{"eventID":"1","text":"a]}\"{[,"}"#,
            #"{"eventID":"2","list":[1,2,{"k":[]}],"nested":{"x":{"y":null}}}"#,
            #"{}"#,
            #"{"eventID":"4","long":"\#(String(repeating: "x", count: 5_000))"}"#,
        ]
        let text = "{ \"Records\" :\n [\n  " + records.joined(separator: " ,\n  ") + "\n ]\n}\n"
        let read = try readRecords(text, initialCapacity: capacity)
        #expect(read.records == records)
        #expect(read.failure == nil)
        #expect(read.problemCount == 0)
    }

    @Test("record offsets count decompressed bytes")
    func offsets() throws {
        let text = "{\"Records\": [{\"a\":1}, {\"b\":2}]}"
        let read = try readRecords(text)
        #expect(read.records == [#"{"a":1}"#, #"{"b":2}"#])
        #expect(read.offsets == [13, 22])
    }

    @Test("members after Records are skipped")
    func membersAfterRecords() throws {
        let text = #"{"Records":[{"a":1}],"Digest":{"x":[1,"]}"]},"n":"}","m":null}"# + "\n" + #"{"b":2}"#
        let read = try readRecords(text)
        #expect(read.records == [#"{"a":1}"#, #"{"b":2}"#])
        #expect(read.failure == nil)
        #expect(read.problemCount == 0)
    }

    @Test("top-level array of records")
    func topLevelArray() throws {
        let text = #"[{"a":1}, {"b":[2,3]} ,{"c":"]"}]"#
        let read = try readRecords(text)
        #expect(read.records == [#"{"a":1}"#, #"{"b":[2,3]}"#, #"{"c":"]"}"#])
        #expect(!read.sawWrapper)
        #expect(read.failure == nil)
    }

    @Test("empty top-level array")
    func emptyTopLevelArray() throws {
        let read = try readRecords("[ ]\n")
        #expect(read.records == [])
        #expect(read.failure == nil)
    }

    @Test("NDJSON with blank lines")
    func blankLines() throws {
        let text = "\n\n{\"a\":1}\n\n   \n\t{\"b\":2}\r\n\n"
        let read = try readRecords(text)
        #expect(read.records == [#"{"a":1}"#, #"{"b":2}"#])
        #expect(read.problemCount == 0)
        #expect(read.failure == nil)
    }

    @Test("NDJSON garbage line is skipped", arguments: [16, 1 << 20])
    func garbageLine(capacity: Int) throws {
        let text = "{\"a\":1}\nthis line is not JSON at all, it is prose\n{\"b\":2}\n"
        let read = try readRecords(text, initialCapacity: capacity)
        #expect(read.records == [#"{"a":1}"#, #"{"b":2}"#])
        #expect(read.problemCount == 1)
        #expect(read.failure == nil)
        let problem = try #require(read.problems.first)
        #expect(problem.location == "line 2, byte 8")
        #expect(problem.message == "expected a JSON object or array, found 't'")
    }

    @Test("line number after buffer refills")
    func lineAfterRefills() throws {
        let good = (1...4).map { "{\"eventID\":\"record-\($0)\"}" }
        let text = good.joined(separator: "\n") + "\n}\n{\"eventID\":\"last\"}\n"
        let read = try readRecords(text)
        #expect(read.records == good + [#"{"eventID":"last"}"#])
        #expect(read.problemCount == 1)
        let problem = try #require(read.problems.first)
        let offset = good.joined(separator: "\n").utf8.count + 1
        #expect(problem.location == "line 5, byte \(offset)")
    }

    @Test("lookup-events items are flagged")
    func lookupEvents() throws {
        let item1 = #"{"EventId":"e1","CloudTrailEvent":"{\"eventID\":\"e1\",\"eventName\":\"Run\"}"}"#
        let item2 = #"{"EventId":"e2","CloudTrailEvent":"{}"}"#
        let text = #"{"Events":["# + item1 + "," + item2 + #"],"NextToken":"abc"}"#
        let read = try readRecords(text)
        #expect(read.records == [item1, item2])
        #expect(read.lookupEventsFlags == [true, true])
        #expect(read.sawWrapper)
        #expect(read.failure == nil)
    }

    @Test(
        "truncated JSON at the end throws",
        arguments: [
            #"{"Records":[{"a":1},{"b":"#,
            #"{"Records":[{"a":1}"#,
            #"{"Records":[{"a":1},"#,
            "{\"a\":1}\n{\"b\":",
            #"[{"a":1},{"b":"x"#,
        ])
    func truncatedAtEnd(text: String) throws {
        let read = try readRecords(text)
        #expect(read.records == [#"{"a":1}"#])
        let failure = try #require(read.failure)
        #expect(failure.message == "the JSON document ends early (the input is truncated)")
    }

    @Test("trailing comma in Records throws")
    func trailingComma() throws {
        let read = try readRecords(#"{"Records":[{"a":1},]}"#)
        #expect(read.records == [#"{"a":1}"#])
        let failure = try #require(read.failure)
        #expect(failure.message == "trailing comma before ']'")
        #expect(failure.location == "line 1, byte 20")
    }

    @Test("control character in Records ends the input")
    func controlCharacterInRecords() throws {
        let read = try readRecords("{\"Records\":[{\"a\":1},\n{\"b\":\"x\u{01}\"},{\"c\":3}]}")
        #expect(read.records == [#"{"a":1}"#])
        let failure = try #require(read.failure)
        #expect(failure.message == "control character byte 0x1 inside a string")
        #expect(failure.location == "line 2, byte 28")
        #expect(read.problemCount == 0)
    }

    @Test(
        "stray closing bracket in an array",
        arguments: [
            #"{"Records":[{"a":1}}"#,
            #"{"Records":[{"a":1},}]}"#,
            #"[{"a":1}}"#,
        ])
    func strayClosingBracket(text: String) throws {
        let read = try readRecords(text, maximumRecords: 5)
        #expect(read.records.first == #"{"a":1}"#)
        #expect(read.records.count == 1)
        #expect(read.failure != nil)
    }

    @Test("gzip member boundary inside a record")
    func gzipSplitRecord() throws {
        let text = Array(#"{"Records":[{"eventID":"one","x":"split here"},{"eventID":"two"}]}"#.utf8)
        let split = 30
        let bytes = try gzipMembers(Array(text[..<split]), Array(text[split...]))
        let read = try readRecords(bytes)
        #expect(read.records == [#"{"eventID":"one","x":"split here"}"#, #"{"eventID":"two"}"#])
        #expect(read.sawWrapper)
        #expect(read.failure == nil)
    }

    @Test("gzip file read in place, then streamed", arguments: [
        #"{"Records":[{"eventID":"one"},{"eventID":"two","a":[1,{"b":"}"}]},{"eventID":"three"}]}"#,
        "{\"eventID\":\"one\"}\nnot json\n\n{\"eventID\":\"two\"}\n",
        #"{"Records":[{"eventID":"one"},{"eventID":"#,
    ])
    func wholeFileInPlace(text: String) throws {
        let bytes = try gzip(Array(text.utf8))
        let inPlace = try readRecords(bytes, decodesWhole: true)
        let streamed = try readRecords(bytes, decodesWhole: false)
        #expect(!inPlace.records.isEmpty)
        #expect(inPlace.records == streamed.records)
        #expect(inPlace.offsets == streamed.offsets)
        #expect(inPlace.sawWrapper == streamed.sawWrapper)
        #expect(inPlace.problemCount == streamed.problemCount)
        // The two reads use different temporary folders, so paths differ.
        func withoutPath(_ error: InputError?) -> String? {
            error.map { "\($0.location ?? "") \($0.message) \($0.hint ?? "")" }
        }
        #expect(inPlace.problems.map(withoutPath) == streamed.problems.map(withoutPath))
        #expect(withoutPath(inPlace.failure) == withoutPath(streamed.failure))
    }

    @Test("NDJSON without wrapper leaves sawWrapper false")
    func noWrapper() throws {
        let read = try readRecords("{\"Records\":1}\n{\"Events\":\"x\"}\n")
        #expect(read.records == [#"{"Records":1}"#, #"{"Events":"x"}"#])
        #expect(!read.sawWrapper)
    }
}
