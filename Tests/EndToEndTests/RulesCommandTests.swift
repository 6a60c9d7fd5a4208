import Foundation
import Testing

/// A rule file whose every example behaves as labelled.
private let validRule = """
    {
      "name": "ExampleAssumeRole",
      "description": "An STS AssumeRole call.",
      "base_score": 10,
      "tags": ["attack.t1078"],
      "pattern": {"source": ["aws.sts"], "detail": {"eventName": ["AssumeRole"]}},
      "examples": {
        "match": [{"eventSource": "sts.amazonaws.com", "eventName": "AssumeRole", "eventTime": "2024-11-18T04:12:00Z"}],
        "no_match": [{"eventSource": "sts.amazonaws.com", "eventName": "GetCallerIdentity", "eventTime": "2024-11-18T04:12:00Z"}]
      }
    }
    """

/// Creates a folder of rule files for `--rules`.
private func rulesFolder(_ files: [String: String]) throws -> TemporaryFolder {
    let folder = try TemporaryFolder()
    for (name, text) in files {
        try text.write(to: folder.url.appendingPathComponent(name), atomically: true, encoding: .utf8)
    }
    return folder
}

@Suite("rules command")
struct RulesCommandTests {
    @Test("list shows built-in and added rules")
    func list() throws {
        let folder = try rulesFolder(["example.json": validRule])
        let result = try Trailscan.run(["rules", "list", "--rules", folder.url.path])
        #expect(result.status == 0)
        let lines = result.standardOutput.split(separator: "\n").map(String.init)
        #expect(lines.first?.hasPrefix("NAME") == true)
        let builtIn = try #require(lines.first { $0.hasPrefix("KMSKeyDeletionScheduled ") })
        #expect(builtIn.contains("builtin:rules/impact/KMSKeyDeletionScheduled.json"))
        let added = try #require(lines.first { $0.hasPrefix("ExampleAssumeRole ") })
        #expect(added.contains("attack.t1078"))
        #expect(added.hasSuffix(folder.path("example.json")))

        let fileColumn = lines.map { $0.range(of: "builtin:") ?? $0.range(of: folder.url.path) }.compactMap { $0 }
        let offsets = Set(zip(lines.dropFirst(), fileColumn).map { $0.distance(from: $0.startIndex, to: $1.lowerBound) })
        #expect(offsets.count == 1, "the FILE column is not aligned")
    }

    @Test("validate accepts the built-in rules")
    func validateBuiltIn() throws {
        let result = try Trailscan.run(["rules", "validate"])
        #expect(result.status == 0)
        #expect(result.standardOutput.contains("rules are valid"))
    }

    @Test("validate reports every problem")
    func validateEveryProblem() throws {
        let brokenPattern = validRule.replacingOccurrences(of: #"["AssumeRole"]"#, with: #"{"exists": true}"#)
            .replacingOccurrences(of: "ExampleAssumeRole", with: "BrokenPattern")
            .replacingOccurrences(of: #""base_score": 10"#, with: #""base_score": 300"#)
        let folder = try rulesFolder([
            "a-broken-pattern.json": brokenPattern,
            "b-not-json.json": #"{"name": "NotJSON","#,
            "c-duplicate.json": validRule,
            "d-original.json": validRule,
        ])
        let result = try Trailscan.run(["rules", "validate", "--rules", folder.url.path])
        #expect(result.status == 2)
        let output = result.standardOutput

        #expect(output.contains(folder.path("a-broken-pattern.json") + ": invalid pattern: at detail.eventName"))
        #expect(output.contains(folder.path("a-broken-pattern.json") + ": \"base_score\" must be an integer from 0 to 100"))
        #expect(output.contains(folder.path("b-not-json.json") + ": invalid JSON"))
        let duplicate = try #require(output.split(separator: "\n").first { $0.contains("already defined") })
        #expect(duplicate.contains("c-duplicate.json"))
        #expect(duplicate.contains("d-original.json"))
    }

    @Test("test passes the built-in examples")
    func testBuiltIn() throws {
        let result = try Trailscan.run(["rules", "test"])
        #expect(result.status == 0)
        #expect(result.standardOutput.contains("ok   CloudTrailLoggingStopped"))
        #expect(!result.standardOutput.contains("FAIL"))
    }

    @Test("test fails a contradicted example")
    func testContradiction() throws {
        let original = try String(
            contentsOf: repositoryRoot.appendingPathComponent("rules/impact/KMSKeyDeletionScheduled.json"), encoding: .utf8)
        #expect(original.contains(#""eventName": "ScheduleKeyDeletion""#))
        // The copy is renamed so it does not clash with the built-in. Its first
        // match example now names another API call.
        let flipped = original.replacingOccurrences(of: "\"KMSKeyDeletionScheduled\"", with: "\"KMSKeyDeletionFlipped\"")
            .replacingOccurrences(of: #""eventName": "ScheduleKeyDeletion""#, with: #""eventName": "DescribeKey""#)
        let folder = try rulesFolder(["flipped.json": flipped])

        let result = try Trailscan.run(["rules", "test", "--rules", folder.url.path])
        #expect(result.status == 1)
        #expect(result.standardOutput.contains("FAIL KMSKeyDeletionFlipped"))
        #expect(result.standardOutput.contains(folder.path("flipped.json") + ": examples.match[0] does not match"))
        #expect(result.standardOutput.contains("ok   KMSKeyDeletionScheduled"))
    }

    @Test("test exits 2 on an invalid rule")
    func testInvalidRule() throws {
        let folder = try rulesFolder(["bad.json": #"{"name": "Bad"}"#])
        let result = try Trailscan.run(["rules", "test", "--rules", folder.url.path])
        #expect(result.status == 2)
        #expect(result.standardError.contains("bad.json"))
    }

    @Test("export writes a private file")
    func exportFile() throws {
        let folder = try TemporaryFolder()
        for format in ["cloudformation", "terraform"] {
            let output = folder.path("rules.\(format)")
            let result = try Trailscan.run(["rules", "export", "--format", format, "-o", output])
            #expect(result.status == 0)
            let attributes = try FileManager.default.attributesOfItem(atPath: output)
            #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o600)
        }
    }

    @Test("CloudFormation export has one rule per rule")
    func cloudFormationShape() throws {
        let folder = try rulesFolder(["example.json": validRule])
        let result = try Trailscan.run(["rules", "export", "--format", "cloudformation", "--rules", folder.url.path])
        #expect(result.status == 0)
        let template = try #require(JSONSerialization.jsonObject(with: Data(result.standardOutput.utf8)) as? [String: Any])
        let resources = try #require(template["Resources"] as? [String: [String: Any]])
        let builtInCount = try FileManager.default.subpathsOfDirectory(atPath: repositoryRoot.appendingPathComponent("rules").path)
            .filter { $0.hasSuffix(".json") }.count
        #expect(resources.count == builtInCount + 1)
        for (logicalID, resource) in resources {
            #expect(logicalID.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber) }, "logical ID \(logicalID)")
            #expect(resource["Type"] as? String == "AWS::Events::Rule")
            let properties = try #require(resource["Properties"] as? [String: Any])
            #expect(properties["State"] as? String == "ENABLED")
            #expect(properties["EventPattern"] is [String: Any])
        }
        let example = try #require(resources["ExampleAssumeRoleRule"]?["Properties"] as? [String: Any])
        #expect(example["Name"] as? String == "ExampleAssumeRole")
        #expect(example["Description"] as? String == "An STS AssumeRole call.")
    }

    @Test(
        "CloudFormation export passes cfn-lint",
        .enabled(
            if: cfnLint != nil || ProcessInfo.processInfo.environment["CI"] == "true",
            "cfn-lint is not installed (python3 -m pip install cfn-lint); CI installs it and requires this check"))
    func cloudFormationLint() throws {
        let lint = try #require(cfnLint, "CI=true requires cfn-lint on PATH; the install step in .ci/run failed")
        let folder = try TemporaryFolder()
        let template = folder.path("template.json")
        let export = try Trailscan.run(["rules", "export", "--format", "cloudformation", "-o", template])
        #expect(export.status == 0)

        let process = Process()
        process.executableURL = lint
        process.arguments = [template]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        try process.run()
        let report = DrainedPipe(output)
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "cfn-lint: \(report.text())")
    }

    @Test("usage errors exit 2", arguments: [
        (["rules"], "rules needs a subcommand"),
        (["rules", "frobnicate"], "unknown rules subcommand \"frobnicate\""),
        (["rules", "export"], "rules export needs --format"),
        (["rules", "export", "--format", "pulumi"], "--format must be cloudformation or terraform"),
        (["rules", "list", "--rules", "/nonexistent/rules"], "/nonexistent/rules: rules folder not found"),
    ])
    func usageErrors(arguments: [String], message: String) throws {
        let result = try Trailscan.run(arguments)
        #expect(result.status == 2)
        #expect(result.standardError.contains(message), "stderr: \(result.standardError)")
    }
}

/// The `cfn-lint` executable on PATH, or nil.
private let cfnLint: URL? = {
    let path = ProcessInfo.processInfo.environment["PATH"] ?? ""
    for folder in path.split(separator: ":") {
        let candidate = URL(fileURLWithPath: String(folder)).appendingPathComponent("cfn-lint")
        if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
    }
    return nil
}()
