import Foundation

/// A generated CloudTrail tree in the S3 layout, for the shard, merge and
/// emit tests: 4 accounts (one under an organization trail) × 3 regions ×
/// 10 days, 2 gzip files per region-day, a digest file per account-day and
/// one temporary file of `aws s3 sync`.
///
/// Every record is built from its index, so the tree is the same on every
/// run. The mix fires several built-in rules, and the 10 days pass the
/// default 7-day learning period, so the anomaly signal fires too. The
/// first record of each file repeats the last record of the previous file
/// of the same account (same eventID), as CloudTrail's at-least-once
/// delivery can, so one event may sit in two shards.
enum ShardedTree {
    static let accounts = ["111122223333", "444455556666", "777788889999", "123456789012"]
    static let regions = ["us-east-1", "eu-west-1", "ap-southeast-2"]
    static let days = 1...10
    static let filesPerRegionDay = 2
    static let recordsPerFile = 12

    /// Region-days in the tree: one per account, region and day.
    static var regionDayCount: Int { accounts.count * regions.count * days.count }
    /// Log files in the tree, digests and the temporary file not included.
    static var logFileCount: Int { regionDayCount * filesPerRegionDay }

    /// Writes the tree under `folder/AWSLogs` and compresses it with the system gzip.
    static func write(to folder: URL) throws {
        let root = folder.appendingPathComponent("AWSLogs")
        for (accountIndex, account) in accounts.enumerated() {
            let accountFolder = accountIndex == 3 ? "o-exampleorg1/\(account)" : account
            var previous: String?
            for day in days {
                for (regionIndex, region) in regions.enumerated() {
                    let datePath = String(format: "2026/11/%02d", day)
                    let folder = root.appendingPathComponent("\(accountFolder)/CloudTrail/\(region)/\(datePath)")
                    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
                    for part in 0..<filesPerRegionDay {
                        let fileIndex = ((accountIndex * days.count + day) * regions.count + regionIndex) * filesPerRegionDay + part
                        var records = (0..<recordsPerFile).map { offset in
                            record(account: account, region: region, day: day, index: fileIndex * recordsPerFile + offset)
                        }
                        if let previous { records[0] = previous }
                        previous = records[recordsPerFile - 1]
                        let name = String(format: "%@_CloudTrail_%@_202611%02dT%02d00Z_%04d.json", account, region, day, part, fileIndex)
                        try write("{\"Records\":[" + records.joined(separator: ",") + "]}", to: folder.appendingPathComponent(name))
                    }
                }
                let digestFolder = root.appendingPathComponent(
                    "\(accountFolder)/CloudTrail-Digest/us-east-1/" + String(format: "2026/11/%02d", day))
                try FileManager.default.createDirectory(at: digestFolder, withIntermediateDirectories: true)
                try write("{\"digestStartTime\":\"2026-11-01T00:00:00Z\"}",
                          to: digestFolder.appendingPathComponent("\(account)_CloudTrail-Digest_us-east-1_digest.json"))
            }
        }
        try write("partial download", to: root.appendingPathComponent("\(accounts[0])/CloudTrail/us-east-1/2026/11/01/x.json.gz.1a2b3c4d"))
        try gzipTree(root)
    }

    /// One CloudTrail record; `index` decides every varying field.
    static func record(account: String, region: String, day: Int, index: Int) -> String {
        let hour = (index * 7) % 24
        let time = String(format: "2026-11-%02dT%02d:%02d:%02dZ", day, hour, index % 60, (index * 13) % 60)
        let eventID = String(format: "%08x-0000-4000-8000-%012x", index, index * 31)
        let role = ["AppServer", "AdminRole", "DataPipeline"][index % 3]
        let identity = """
            {"type":"AssumedRole","arn":"arn:aws:sts::\(account):assumed-role/\(role)/s\(index % 5)","accountId":"\(account)",\
            "sessionContext":{"sessionIssuer":{"type":"Role","arn":"arn:aws:iam::\(account):role/\(role)","accountId":"\(account)"}}}
            """
        // Each day's public addresses are in a new /24, so each day brings new networks.
        let address = index % 4 == 0 ? "10.0.\(index % 200).7" : "203.0.\(day).\(index % 250 + 1)"
        let call: (source: String, name: String, extra: String)
        switch index % 6 {
        case 0: call = ("iam", "CreateAccessKey", "")
        case 1: call = ("cloudtrail", "StopLogging", "")
        case 2: call = ("sts", "AssumeRole", #","requestParameters":{"roleArn":"arn:aws:iam::\#(account):role/AdminRole","roleSessionName":"x"}"#)
        case 3: call = ("kms", "ScheduleKeyDeletion", "")
        case 4: call = ("iam", "CreateUser", index % 12 == 4 ? #","errorCode":"AccessDenied""# : "")
        default: call = ("ec2", "DescribeInstances", "")
        }
        return """
            {"eventVersion":"1.09","userIdentity":\(identity),"eventTime":"\(time)",\
            "eventSource":"\(call.source).amazonaws.com","eventName":"\(call.name)","awsRegion":"\(region)",\
            "sourceIPAddress":"\(address)","userAgent":"aws-cli/2.15.\(index % 3)","eventID":"\(eventID)",\
            "eventType":"AwsApiCall","recipientAccountId":"\(account)"\(call.extra)}
            """
    }

    private static func write(_ text: String, to url: URL) throws {
        try text.write(to: url, atomically: false, encoding: .utf8)
    }

    /// Replaces every `.json` file under `root` with its `.json.gz`.
    private static func gzipTree(_ root: URL) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/gzip")
        process.arguments = ["-rn", root.path]
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw DatabaseError(message: "gzip -rn \(root.path) exited with status \(process.terminationStatus)")
        }
    }
}
