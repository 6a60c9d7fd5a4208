import EventPatterns
import Testing

/// The path, problem and fix reported for the mistakes people make most.
@Suite("Pattern error messages")
struct PatternErrorTests {
    struct Case: Sendable, CustomTestStringConvertible {
        var pattern: String
        var path: String
        var problem: String
        var fix: String?
        var testDescription: String { pattern }
    }

    static let cases: [Case] = [
        Case(
            pattern: #"["a"]"#, path: "",
            problem: "a pattern must be a JSON object, not an array",
            fix: #"wrap the fields in an object, such as {"source": ["aws.ec2"]}"#),
        Case(
            pattern: #"{"detail": {"errorCode": {"exists": false}}}"#, path: "detail.errorCode",
            problem: #"the operator {"exists": false} must be inside an array"#,
            fix: #"write "errorCode": [{"exists": false}]"#),
        Case(
            pattern: #"{"source": "aws.ec2"}"#, path: "source",
            problem: #"the value of "source" must be an array of match values or an object, not a string"#,
            fix: #"write "source": ["aws.ec2"]"#),
        Case(
            pattern: #"{"x": [{"exists": "true"}]}"#, path: "x[0].exists",
            problem: "exists takes the JSON boolean true or false, not a string",
            fix: #"write {"exists": true} without quotes"#),
        Case(
            pattern: #"{"time": [{"prefix": ["2024-01", "2024-02"]}]}"#, path: "time[0].prefix",
            problem: "prefix takes one string, not an array",
            fix: #"list one operator object per value: [{"prefix": "2024-01"}, {"prefix": "2024-02"}]"#),
        Case(
            pattern: #"{"x": [{"numeric": ["<", 5, ">", 0]}]}"#, path: "x[0].numeric",
            problem: "a numeric range must start with > or >=, not <",
            fix: #"put the lower bound first, such as [">", 0, "<", 5]"#),
        Case(
            pattern: #"{"x": [{"numeric": [">", 0, "<"]}]}"#, path: "x[0].numeric",
            problem: "numeric takes an operator and a number, or two of each for a range, but found 3 terms",
            fix: #"write [">", 0] for one comparison or [">=", 0, "<", 10] for a range"#),
        Case(
            pattern: #"{"x": [{"numeric": [">", "5"]}]}"#, path: "x[0].numeric[1]",
            problem: "the operand of > must be a JSON number, not a string",
            fix: #"write the number without quotes: [">", 5]"#),
        Case(
            pattern: #"{"resources": []}"#, path: "resources",
            problem: "empty arrays are not allowed",
            fix: #"list at least one value, or write [{"exists": false}] to match a missing field"#),
        Case(
            pattern: #"{"detail": {}}"#, path: "detail",
            problem: "empty objects are not allowed",
            fix: "name at least one field inside it, or remove it"),
        Case(
            pattern: #"{"arn": [{"wildcard": "arn:**:bus"}]}"#, path: "arn[0].wildcard",
            problem: #"the wildcard "arn:**:bus" contains consecutive * characters"#,
            fix: "use a single *, which already matches any run of characters"),
        Case(
            pattern: #"{"x": [{"wildcard": "a\\b"}]}"#, path: "x[0].wildcard",
            problem: #"the wildcard "a\b" has a backslash before "b""#,
            fix: #"a backslash may only escape * or \, so write \\ for a literal backslash"#),
        Case(
            pattern: #"{"ip": [{"cidr": "10.0.0.1/32"}]}"#, path: "ip[0].cidr",
            problem: #"the CIDR block "10.0.0.1/32" covers a single address, which EventBridge rejects"#,
            fix: #"match the address itself: ["10.0.0.1"]"#),
        Case(
            pattern: #"{"$or": [{"a": ["1"]}]}"#, path: "$or",
            problem: "$or needs at least two alternatives, found 1",
            fix: "move the fields of the single alternative into the enclosing object and remove $or"),
        Case(
            pattern: #"{"x": [{"NUMERIC": ["=", 5]}]}"#, path: "x[0].NUMERIC",
            problem: #"unknown operator "NUMERIC""#,
            fix: #"operator names are case-sensitive, so write "numeric""#),
        Case(
            pattern: #"{"x": [{"contains": "a"}]}"#, path: "x[0].contains",
            problem: #"unknown operator "contains""#,
            fix: "use one of prefix, suffix, equals-ignore-case, wildcard, anything-but, numeric, exists, cidr"),
        Case(
            pattern: #"{"$or": [{"a": ["1"]}, {"prefix": ["x"]}]}"#, path: "$or[1].prefix",
            problem: #""prefix" is reserved and cannot be a field name inside $or"#,
            fix: #"put the operator inside a field's array, such as "field": [{"prefix": ...}]"#),
        Case(
            pattern: #"{"a": [{"anything-but": {"suffix": ""}}]}"#, path: "a[0].anything-but.suffix",
            problem: "an anything-but suffix may not be empty",
            fix: "remove the empty suffix"),
        Case(
            pattern: #"{"a": [{"prefix": "x", "suffix": "y"}]}"#, path: "a[0]",
            problem: "an operator object holds exactly one operator, found 2 keys",
            fix: #"write one object per operator: {"prefix": "x"}, {"suffix": "y"}"#),
    ]

    @Test("common mistake is explained", arguments: cases)
    func mistakeIsExplained(_ testCase: Case) throws {
        let error = try #require(throws: PatternError.self) { try Pattern(parsing: testCase.pattern) }
        #expect(error.path == testCase.path)
        #expect(error.problem == testCase.problem)
        #expect(error.fix == testCase.fix)
    }

    @Test("too many $or combinations are rejected")
    func tooManyCombinations() throws {
        let alternatives = (0..<11).map { #"{"f\#($0)": ["v"]}"# }.joined(separator: ",")
        let field = #"{"$or": [\#(alternatives)]}"#
        let text = #"{"a": \#(field), "b": \#(field), "c": \#(field)}"#
        let error = try #require(throws: PatternError.self) { try Pattern(parsing: text) }
        #expect(error.path == "c.$or")
        #expect(error.problem == "the $or alternatives expand to more than 1000 combinations")
    }

    @Test("exactly 1000 $or combinations are accepted")
    func thousandCombinations() throws {
        let alternatives = (0..<10).map { #"{"f\#($0)": ["v"]}"# }.joined(separator: ",")
        let field = #"{"$or": [\#(alternatives)]}"#
        let pattern = try Pattern(parsing: #"{"a": \#(field), "b": \#(field), "c": \#(field)}"#)
        #expect(pattern.matches(try JSONValue(parsing: #"{"a": {"f3": "v"}, "b": {"f0": "v"}, "c": {"f9": "v"}}"#)))
        #expect(!pattern.matches(try JSONValue(parsing: #"{"a": {"f3": "v"}, "b": {"f0": "v"}}"#)))
    }

    @Test("invalid JSON text is reported")
    func invalidJSON() throws {
        let error = try #require(throws: PatternError.self) { try Pattern(parsing: #"{"a": ["x",]}"#) }
        #expect(error.path == "")
        #expect(error.problem.hasPrefix("the pattern is not valid JSON: invalid JSON at line 1, column 12"))
    }

    @Test("description joins path, problem and fix")
    func description() {
        let error = PatternError(path: "x[0]", problem: "bad", fix: "write good")
        #expect(error.description == "at x[0]: bad. write good")
    }
}
