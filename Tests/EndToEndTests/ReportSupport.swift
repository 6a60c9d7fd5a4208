import Foundation

/// A database scanned from an NDJSON file written by the test.
struct ScannedDatabase {
    let folder: TemporaryFolder
    let path: String

    init(ndjson lines: [String], config: String? = nil) throws {
        folder = try TemporaryFolder()
        path = folder.path("report.db")
        let input = folder.path("events.ndjson")
        try (lines.joined(separator: "\n") + "\n").write(toFile: input, atomically: true, encoding: .utf8)
        var arguments = ["scan", input, "--db", path]
        if let config { arguments += ["--config", config] }
        let result = try Trailscan.run(arguments)
        guard result.status == 0 else {
            throw DatabaseError(message: "scan exited \(result.status): \(result.standardError)")
        }
    }

    /// Runs `trailscan report` on this database with `arguments` added.
    func report(_ arguments: [String], environment: [String: String] = [:]) throws -> RunResult {
        try Trailscan.run(["report", "--db", path] + arguments, environment: environment)
    }
}

/// One CloudTrail record as a JSON line, built with JSONSerialization so
/// hostile strings are encoded exactly.
func cloudTrailRecord(
    eventID: String, time: String, source: String, name: String, account: String = "111122223333",
    region: String = "us-east-1", identity: [String: Any], userAgent: String, sourceIP: String,
    requestParameters: [String: Any] = [:]
) throws -> String {
    let record: [String: Any] = [
        "eventVersion": "1.08", "userIdentity": identity, "eventTime": time, "eventSource": source,
        "eventName": name, "awsRegion": region, "sourceIPAddress": sourceIP, "userAgent": userAgent,
        "requestParameters": requestParameters, "responseElements": NSNull(), "eventID": eventID,
        "eventType": "AwsApiCall", "recipientAccountId": account,
    ]
    let data = try JSONSerialization.data(withJSONObject: record, options: [.sortedKeys])
    return String(decoding: data, as: UTF8.self)
}

/// Parses RFC 4180 CSV: quoted fields may hold commas, CRLF and doubled quotes.
func parseCSV(_ text: String) -> [[String]] {
    var rows: [[String]] = []
    var row: [String] = []
    var field = ""
    var isQuoted = false
    var characters = Array(text.unicodeScalars)[...]
    while let scalar = characters.popFirst() {
        if isQuoted {
            if scalar == "\"" {
                if characters.first == "\"" {
                    field.unicodeScalars.append("\"")
                    characters.removeFirst()
                } else {
                    isQuoted = false
                }
            } else {
                field.unicodeScalars.append(scalar)
            }
            continue
        }
        switch scalar {
        case "\"": isQuoted = true
        case ",":
            row.append(field)
            field = ""
        case "\r" where characters.first == "\n":
            characters.removeFirst()
            row.append(field)
            rows.append(row)
            row = []
            field = ""
        default: field.unicodeScalars.append(scalar)
        }
    }
    if !field.isEmpty || !row.isEmpty { rows.append(row + [field]) }
    return rows
}
