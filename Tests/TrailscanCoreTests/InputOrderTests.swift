import Testing

@testable import TrailscanCore

@Suite("Input reading order")
struct InputOrderTests {
    private func file(_ path: String) -> DiscoveredFile {
        DiscoveredFile(path: path, size: 1, modified: "2024-03-01T00:00:00.000000000Z", kind: .log, isNamed: false)
    }

    @Test("delivery stamp from a log name")
    func deliveryStamp() {
        let log = file("/t/AWSLogs/1111/CloudTrail/us-east-1/2024/03/01/1111_CloudTrail_us-east-1_20240301T2355Z_c1.json.gz")
        #expect(log.deliveryStamp == "20240301T2355Z")
        #expect(file("/t/extra/events.ndjson").deliveryStamp == nil)
        // Thirteen characters, a letter among the digits, no Z: not a stamp.
        #expect(file("/t/x_2024030T0000Z_y.json").deliveryStamp == nil)
        #expect(file("/t/x_2024030aT0000Z_y.json").deliveryStamp == nil)
        #expect(file("/t/x_20240301T00000_y.json").deliveryStamp == nil)
        #expect(file("/t/x_20240301T0000Z1_y.json").deliveryStamp == nil)
        // Only the file name counts, not the folders.
        #expect(file("/t/a_20240301T0000Z_b/events.json").deliveryStamp == nil)
        // The stamp may open or close the name.
        #expect(file("/t/20240301T0000Z_x.json").deliveryStamp == "20240301T0000Z")
        #expect(file("x_20240301T0000Z").deliveryStamp == "20240301T0000Z")
    }

    @Test("logs read by delivery time, then path")
    func readingOrder() {
        let paths = [
            "/t/AWSLogs/2222/CloudTrail/us-east-1/2024/03/02/2222_CloudTrail_us-east-1_20240302T0000Z_b.json.gz",
            "/t/AWSLogs/1111/CloudTrail/eu-west-1/2024/03/03/1111_CloudTrail_eu-west-1_20240303T0100Z_a.json.gz",
            "/t/AWSLogs/1111/CloudTrail/us-east-1/2024/03/01/1111_CloudTrail_us-east-1_20240301T2355Z_c.json.gz",
            "/t/AWSLogs/1111/CloudTrail/us-east-1/2024/03/02/1111_CloudTrail_us-east-1_20240302T0000Z_a.json.gz",
            "/t/x_2024030T0000Z_y.json",
            "/t/extra/events.ndjson",
        ]
        let ordered = DiscoveredFile.inReadingOrder(paths.map(file)).map(\.path)
        #expect(
            ordered == [
                "/t/extra/events.ndjson",
                "/t/x_2024030T0000Z_y.json",
                "/t/AWSLogs/1111/CloudTrail/us-east-1/2024/03/01/1111_CloudTrail_us-east-1_20240301T2355Z_c.json.gz",
                "/t/AWSLogs/1111/CloudTrail/us-east-1/2024/03/02/1111_CloudTrail_us-east-1_20240302T0000Z_a.json.gz",
                "/t/AWSLogs/2222/CloudTrail/us-east-1/2024/03/02/2222_CloudTrail_us-east-1_20240302T0000Z_b.json.gz",
                "/t/AWSLogs/1111/CloudTrail/eu-west-1/2024/03/03/1111_CloudTrail_eu-west-1_20240303T0100Z_a.json.gz",
            ])
    }
}
