import Foundation
import Testing

/// A ten-day CloudTrail tree in the S3 layout, written as gzip files.
/// Its findings have anomaly reasons that depend on all days: learning
/// periods, first-seen networks and user agents, an error burst, a
/// re-delivered event and late records that sit in another day's folder.
struct SplitTree {
    static let accounts = ["111122223333", "444455556666"]
    static let regions = ["us-east-1", "eu-west-1"]
    static let days = 1...10

    let root: URL
    /// The day folders, `.../<YYYY>/<MM>/<DD>`, of every account and region, by day.
    private(set) var dayFolders: [Int: [String]] = [:]

    /// Writes the tree under `root`.
    init(root: URL) throws {
        self.root = root
        var files: [URL: [String]] = [:]
        var random = SeededRandom(seed: 20_260_601)

        for account in Self.accounts {
            for region in Self.regions {
                for day in Self.days {
                    let folder = dayFolder(account: account, region: region, day: day)
                    dayFolders[day, default: []].append(folder.path)
                    let file = folder.appendingPathComponent("\(account)_CloudTrail_\(region)_202606\(twoDigits(day))_part1.json")
                    files[file] = Self.routine(account: account, region: region, day: day, random: &random)
                }
            }
        }
        addSpecialEvents(to: &files)

        for (file, records) in files {
            try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
            let body = "{\"Records\": [\n" + records.joined(separator: ",\n") + "\n]}\n"
            try body.write(to: file, atomically: true, encoding: .utf8)
        }
        try gzipInPlace(files.keys.map(\.path))
    }

    /// Returns the S3 folder of one account, region and day. The second
    /// account lives under an organization trail.
    func dayFolder(account: String, region: String, day: Int) -> URL {
        let trail = account == Self.accounts[0] ? "AWSLogs/\(account)" : "AWSLogs/o-exampleorg1/\(account)"
        return root.appendingPathComponent("\(trail)/CloudTrail/\(region)/2026/06/\(twoDigits(day))")
    }

    /// Builds a day of activity in one account and region. Most calls come
    /// from the principal's usual network, and some from a public address,
    /// with another user agent or denied.
    private static func routine(account: String, region: String, day: Int, random: inout SeededRandom) -> [String] {
        let principals: [Identity] = [
            .user("alice"), .user("bob"), .session(roleARN: "arn:aws:iam::\(account):role/deployer", name: "ci"),
        ]
        let calls: [APICall] = [
            .describeInstances, .describeInstances, .describeInstances, .createUser, .assumeRole("arn:aws:iam::\(account):role/ReadOnly"),
            .stopLogging, .scheduleKeyDeletion,
        ]
        var records: [String] = []
        for index in 0..<24 {
            let principal = principals[random.next(below: principals.count)]
            let call = calls[random.next(below: calls.count)]
            let second = 8 * 3600 + index * 1500 + random.next(below: 1200)
            let ip = random.next(below: 9) == 0 ? "192.0.2.\(random.next(below: 250))" : "10.1.\(day % 3).\(random.next(below: 250))"
            let agent = random.next(below: 12) == 0 ? "Boto3/1.34.0 Python/3.11.6" : cliAgent
            let errorCode = random.next(below: 15) == 0 ? "AccessDenied" : nil
            let id = "\(account.prefix(3))-\(region)-\(twoDigits(day))-\(twoDigits(index))"
            records.append(
                record(id, call, at: timestamp(day: day, second: second), by: principal, from: ip, region: region,
                       agent: agent, errorCode: errorCode, account: account))
        }
        return records
    }

    /// Adds an error burst, a re-delivery across the two halves, and late
    /// records of day 5 that are delivered in day 6's folder.
    private func addSpecialEvents(to files: inout [URL: [String]]) {
        let account = Self.accounts[0]
        let burstFile = dayFolder(account: account, region: "us-east-1", day: 8)
            .appendingPathComponent("\(account)_CloudTrail_us-east-1_20260608_part2.json")
        files[burstFile] = (0..<6).map { index in
            record("burst-\(index)", .assumeRole(roleARN("ReadOnly")), at: timestamp(day: 8, second: 50_000 + index * 60),
                   by: .user("mallory"), from: "10.1.2.3", errorCode: "AccessDenied")
        }

        let redelivered = record("redelivered", .createUser, at: timestamp(day: 4, second: 40_000), from: "10.200.0.1")
        let lateFile = dayFolder(account: account, region: "us-east-1", day: 6)
            .appendingPathComponent("\(account)_CloudTrail_us-east-1_20260606_late.json")
        files[lateFile] = [
            redelivered,
            record("tie-a", .createUser, at: timestamp(day: 5, second: 86_370), by: .user("bob"), from: "10.77.0.1"),
        ]
        let dayFour = dayFolder(account: account, region: "us-east-1", day: 4)
            .appendingPathComponent("\(account)_CloudTrail_us-east-1_20260604_part2.json")
        files[dayFour] = [
            redelivered,
            record("tie-b", .createUser, at: timestamp(day: 5, second: 86_370), by: .user("bob"), from: "10.77.0.2"),
        ]
    }

    private func gzipInPlace(_ paths: [String]) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/gzip")
        process.arguments = ["-n", "-f"] + paths
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw DatabaseError(message: "gzip failed with status \(process.terminationStatus)")
        }
    }
}

/// Returns `2026-06-<day>` at `second` seconds after midnight UTC, in ISO 8601.
private func timestamp(day: Int, second: Int) -> String {
    "2026-06-\(twoDigits(day))T\(twoDigits(second / 3600)):\(twoDigits(second / 60 % 60)):\(twoDigits(second % 60))Z"
}

private func twoDigits(_ value: Int) -> String {
    value < 10 ? "0\(value)" : "\(value)"
}

/// A linear congruential generator (Knuth's MMIX constants), so the tree
/// is the same on every run.
struct SeededRandom {
    private var state: UInt64

    init(seed: UInt64) {
        state = seed
    }

    /// Returns a number in `0..<bound`.
    mutating func next(below bound: Int) -> Int {
        state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
        return Int((state >> 33) % UInt64(bound))
    }
}

@Suite("Scans split by jobs and runs")
struct SplitRunTests {
    static let findingsQuery = "SELECT event_id, rule, score, severity, reasons FROM findings ORDER BY event_id, rule"

    /// Scans `runs` (lists of paths) one after another into a new database
    /// and returns its findings.
    static func scan(_ runs: [[String]], jobs: Int, configuration: String, folder: TemporaryFolder, name: String)
        throws -> [[String]]
    {
        let database = folder.path(name + ".db")
        for paths in runs {
            let result = try Trailscan.run(
                ["scan"] + paths + ["--db", database, "--config", configuration, "--jobs", String(jobs)])
            #expect(result.status == 0, "\(name): stderr: \(result.standardError)")
        }
        return try Database(database).rows(findingsQuery)
    }

    @Test("findings equal across splits")
    func findingsEqualAcrossSplits() throws {
        let folder = try TemporaryFolder()
        let tree = try SplitTree(root: folder.url.appendingPathComponent("logs"))
        let configuration = folder.path("trailscan.json")
        try scoringConfiguration(timeZone: "America/New_York").write(toFile: configuration, atomically: true, encoding: .utf8)

        let earlier = SplitTree.days.prefix(5).flatMap { tree.dayFolders[$0] ?? [] }
        let later = SplitTree.days.dropFirst(5).flatMap { tree.dayFolders[$0] ?? [] }
        #expect(earlier.count == 20)
        #expect(later.count == 20)

        let single = try Self.scan([[tree.root.path]], jobs: 1, configuration: configuration, folder: folder, name: "single")
        let parallel = try Self.scan([[tree.root.path]], jobs: 2, configuration: configuration, folder: folder, name: "parallel")
        let forward = try Self.scan([earlier, later], jobs: 2, configuration: configuration, folder: folder, name: "forward")
        let backward = try Self.scan([later, earlier], jobs: 2, configuration: configuration, folder: folder, name: "backward")

        #expect(single.count > 50)
        #expect(parallel == single)
        #expect(forward == single)
        #expect(backward == single)

        let reasons = single.map { $0[4] }
        #expect(reasons.contains { $0.contains("\"signal\":\"anomaly\"") })
        #expect(reasons.contains { !$0.contains("\"signal\":\"anomaly\"") })
        #expect(reasons.contains { $0.contains("error burst: 5 access-denied errors") })
        #expect(reasons.contains { $0.contains("first seen for") })

        // Of two same-second calls from a new network, only the smaller eventID is first.
        let tie = single.filter { $0[0].hasPrefix("tie-") }.map { [$0[0], String($0[4].contains("network 10.77.0.0/24"))] }
        #expect(tie == [["tie-a", "true"], ["tie-b", "false"]])
        #expect(single.filter { $0[0] == "redelivered" }.count == 1)
    }
}
