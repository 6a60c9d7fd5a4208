import Foundation
import Testing

/// The deployment examples under docs/deploy.
@Suite("Deployment examples")
struct DeployManifestTests {
    static let folder = repositoryRoot.appendingPathComponent("docs/deploy")
    static let manifest = folder.appendingPathComponent("kubernetes-indexed-job.yaml")

    @Test(
        "Kubernetes manifest passes kubernetes-validate",
        .enabled(
            if: kubernetesValidate != nil || ProcessInfo.processInfo.environment["CI"] == "true",
            "kubernetes-validate is not installed (python3 -m pip install kubernetes-validate); CI installs it and requires this check"))
    func kubernetesSchema() throws {
        let validator = try #require(
            kubernetesValidate, "CI=true requires kubernetes-validate on PATH; the install step in .ci/run failed")
        let process = Process()
        process.executableURL = validator
        process.arguments = ["--strict", "--quiet", Self.manifest.path]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        try process.run()
        let report = DrainedPipe(output)
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "kubernetes-validate: \(report.text())")
    }

    @Test("Kubernetes shards match the merge")
    func kubernetesShardsMatchMerge() throws {
        let text = try String(contentsOf: Self.manifest, encoding: .utf8)
        #expect(text.contains("completionMode: Indexed"))
        #expect(text.contains("completions: 4"))
        #expect(text.contains("value: \"4\""))
        #expect(text.contains("--shard \"$JOB_COMPLETION_INDEX/$SHARDS\""))
        for index in 0..<4 {
            #expect(text.contains("- /db/shard-\(index).db"), "the merge Job should read shard-\(index).db")
        }
    }

    @Test("AWS Batch file has an array job and a merge")
    func awsBatch() throws {
        let data = try Data(contentsOf: Self.folder.appendingPathComponent("aws-batch-array-job.json"))
        let document = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let definition = try #require(document["jobDefinition"] as? [String: Any])
        let container = try #require(definition["containerProperties"] as? [String: Any])
        let command = try #require(container["command"] as? [String])
        #expect(command.joined(separator: " ").contains("--shard \"$AWS_BATCH_JOB_ARRAY_INDEX/$SHARDS\""))

        let scan = try #require(document["scanJob"] as? [String: Any])
        let size = (scan["arrayProperties"] as? [String: Any])?["size"] as? Int
        #expect(size == 4)

        let merge = try #require(document["mergeJob"] as? [String: Any])
        #expect((merge["dependsOn"] as? [[String: Any]])?.count == 1)
        let mergeCommand = (merge["containerOverrides"] as? [String: Any])?["command"] as? [String] ?? []
        #expect(Array(mergeCommand.prefix(2)) == ["trailscan", "merge"])
        #expect(mergeCommand.filter { $0.hasPrefix("/db/shard-") }.count == size)
    }
}

/// The `kubernetes-validate` executable on PATH, or nil.
private let kubernetesValidate: URL? = {
    let path = ProcessInfo.processInfo.environment["PATH"] ?? ""
    for folder in path.split(separator: ":") {
        let candidate = URL(fileURLWithPath: String(folder)).appendingPathComponent("kubernetes-validate")
        if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
    }
    return nil
}()
