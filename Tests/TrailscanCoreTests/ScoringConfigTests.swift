import Foundation
import Testing

@testable import TrailscanCore

/// Runs `body` with a fresh temporary directory and removes the directory
/// afterwards.
func withFixtureDirectory<Result>(_ body: (URL) throws -> Result) throws -> Result {
    let directory = FileManager.default.temporaryDirectory
        .appendingPathComponent("trailscan-config-tests-\(UUID().uuidString)", isDirectory: true)
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    return try body(directory)
}

/// Writes `contents` to `trailscan.json` in a temporary directory and loads it.
func loadConfig(_ contents: String) throws -> ScoringConfig {
    try withFixtureDirectory { directory in
        let file = directory.appendingPathComponent("trailscan.json")
        try Data(contents.utf8).write(to: file)
        return try ScoringConfig.load(path: file.path)
    }
}

/// Loads `contents` from a file and returns the error that it throws, or nil
/// when it loads.
func configError(loading contents: String) throws -> ConfigError? {
    do {
        _ = try loadConfig(contents)
        return nil
    } catch let error as ConfigError {
        #expect(error.file.hasSuffix("/trailscan.json"))
        return error
    }
}

@Suite("ScoringConfig")
struct ScoringConfigTests {
    @Test("defaults match the documented values")
    func defaults() throws {
        let config = ScoringConfig.defaults
        #expect(config.timeZone.name == "UTC")
        #expect(config.timeZone.timeZone.secondsFromGMT(for: Date(timeIntervalSince1970: 0)) == 0)
        #expect(config.businessHours.description == "Mon-Fri 08:00-18:00")
        #expect(config.holidays.isEmpty)
        #expect(
            config.trustedNetworks.blocks.map(\.description) == [
                "::1/128", "10.0.0.0/8", "100.64.0.0/10", "127.0.0.0/8", "169.254.0.0/16", "172.16.0.0/12",
                "192.168.0.0/16", "fc00::/7", "fe80::/10",
            ])
        #expect(config.suspiciousNetworks.isEmpty)
        #expect(
            config.sensitiveRoles.map(\.pattern) == [
                "*admin*", "*root*", "*breakglass*", "*OrganizationAccountAccessRole*",
            ])
        #expect(config.weights == [.ip: 30, .time: 20, .role: 25, .anomaly: 25])
        #expect(config.learningDays == 7)
        #expect(config.errorBurst == ErrorBurst(count: 5, minutes: 10))
    }

    @Test("full example file loads")
    func fullExample() throws {
        let config = try loadConfig(
            """
            {
              "timezone": "America/New_York",
              "business_hours": { "days": ["Mon", "Tue", "Wed", "Thu", "Sat"], "start": "07:30", "end": "24:00" },
              "holidays": ["2026-12-25", "2028-02-29"],
              "trusted_networks": ["203.0.113.0/24", "2001:db8:1::/48"],
              "suspicious_networks": ["198.51.100.0/24"],
              "sensitive_roles": ["*Admin*", "*BreakGlass*"],
              "weights": { "ip": 10, "time": 0, "role": 100, "anomaly": 5 },
              "learning_days": 0,
              "error_burst": { "count": 3, "minutes": 15 }
            }
            """)

        #expect(config.timeZone.name == "America/New_York")
        #expect(config.businessHours.description == "Mon-Thu,Sat 07:30-24:00")
        #expect(config.holidays == [LocalDate(year: 2026, month: 12, day: 25), LocalDate(year: 2028, month: 2, day: 29)])
        #expect(config.trustedNetworks.blocks.map(\.description) == ["203.0.113.0/24", "2001:db8:1::/48"])
        #expect(config.suspiciousNetworks.blocks.map(\.description) == ["198.51.100.0/24"])
        #expect(config.sensitiveRoles.map(\.pattern) == ["*Admin*", "*BreakGlass*"])
        #expect(config.weights == [.ip: 10, .time: 0, .role: 100, .anomaly: 5])
        #expect(config.learningDays == 0)
        #expect(config.errorBurst == ErrorBurst(count: 3, minutes: 15))
    }

    @Test("empty object keeps the defaults")
    func emptyObject() throws {
        let config = try loadConfig("{}")
        #expect(config.weights == ScoringConfig.defaults.weights)
        #expect(config.trustedNetworks == ScoringConfig.defaults.trustedNetworks)
        #expect(config.businessHours == ScoringConfig.defaults.businessHours)
    }

    @Test("partial objects keep the other defaults")
    func partialObjects() throws {
        let config = try loadConfig(
            #"{"business_hours": {"end": "17:00"}, "weights": {"role": 40}, "error_burst": {"minutes": 1}}"#)

        #expect(config.businessHours.description == "Mon-Fri 08:00-17:00")
        #expect(config.weights == [.ip: 30, .time: 20, .role: 40, .anomaly: 25])
        #expect(config.errorBurst == ErrorBurst(count: 5, minutes: 1))
    }

    @Test("empty network list trusts nothing")
    func emptyTrustedNetworks() throws {
        let config = try loadConfig(#"{"trusted_networks": []}"#)
        let scorer = StaticScorer(config: config)
        let event = try facts(ip: "10.0.0.1")
        #expect(
            scorer.reasons(for: event) == [Reason(signal: .ip, points: 30, detail: "10.0.0.1 is outside the trusted networks")])
    }

    @Test("loaded file drives the scorer")
    func loadedConfigScores() throws {
        let config = try loadConfig(
            #"{"timezone": "Australia/Sydney", "suspicious_networks": ["10.9.0.0/16"], "weights": {"ip": 50}}"#)
        let scorer = StaticScorer(config: config)
        let event = try facts(at: "2026-01-05T12:00:00Z", ip: "10.9.1.2")
        #expect(
            scorer.reasons(for: event) == [
                Reason(signal: .ip, points: 50, detail: "10.9.1.2 is in suspicious network 10.9.0.0/16"),
                Reason(signal: .time, points: 20, detail: "Mon 23:00 Australia/Sydney (outside Mon-Fri 08:00-18:00)"),
            ])
    }

    @Test(
        "invalid value names key and value",
        arguments: [
            // Unknown keys at each level.
            (#"{"timezone": "UTC", "time_zone": "UTC"}"#, "time_zone", ["unknown key", "timezone"]),
            (#"{"business_hours": {"begin": "08:00"}}"#, "business_hours.begin", ["unknown key", "start"]),
            (#"{"weights": {"network": 5}}"#, "weights.network", ["unknown key", "ip, time, role, anomaly"]),
            (#"{"error_burst": {"window": 5}}"#, "error_burst.window", ["unknown key", "count, minutes"]),
            (#"{"learning_days": 7, "learning_days": 8}"#, "learning_days", ["more than once"]),
            // Wrong types.
            (#"{"timezone": 5}"#, "timezone", ["the number 5", "IANA"]),
            (#"{"business_hours": []}"#, "business_hours", ["expected an object", "an array"]),
            (#"{"business_hours": {"start": 8}}"#, "business_hours.start", ["the number 8", "\"08:00\""]),
            (#"{"business_hours": {"days": "Mon"}}"#, "business_hours.days", ["expected an array", "\"Mon\""]),
            (#"{"holidays": "2026-12-25"}"#, "holidays", ["expected an array", "\"2026-12-25\""]),
            (#"{"holidays": [20261225]}"#, "holidays[0]", ["the number 20261225", "date"]),
            (#"{"trusted_networks": [true]}"#, "trusted_networks[0]", ["the boolean true", "CIDR"]),
            (#"{"sensitive_roles": [null]}"#, "sensitive_roles[0]", ["found null", "pattern"]),
            (#"{"weights": {"ip": "30"}}"#, "weights.ip", ["the string \"30\"", "from 0 to 100"]),
            (#"{"weights": {"ip": true}}"#, "weights.ip", ["the boolean true", "from 0 to 100"]),
            (#"{"learning_days": "7"}"#, "learning_days", ["the string \"7\"", "integer"]),
            // Values out of range or not integers.
            (#"{"weights": {"time": 101}}"#, "weights.time", ["101 is out of range", "from 0 to 100"]),
            (#"{"weights": {"role": -1}}"#, "weights.role", ["-1 is out of range", "from 0 to 100"]),
            (#"{"weights": {"anomaly": 2.5}}"#, "weights.anomaly", ["2.5 is not an integer"]),
            (#"{"learning_days": -1}"#, "learning_days", ["-1 is out of range", "from 0"]),
            (#"{"learning_days": 1e300}"#, "learning_days", ["1e300 is not an integer"]),
            (#"{"error_burst": {"count": 0}}"#, "error_burst.count", ["0 is out of range", "from 1"]),
            (#"{"error_burst": {"minutes": 0}}"#, "error_burst.minutes", ["0 is out of range", "from 1"]),
            // Bad CIDR blocks.
            (#"{"trusted_networks": ["10.0.0.0/8", "10.0.0.0/33"]}"#, "trusted_networks[1]",
             ["\"10.0.0.0/33\"", "not a valid CIDR block"]),
            (#"{"suspicious_networks": ["198.51.100.07/24"]}"#, "suspicious_networks[0]",
             ["\"198.51.100.07/24\"", "not a valid CIDR block"]),
            (#"{"suspicious_networks": ["203.0.113.7"]}"#, "suspicious_networks[0]", ["\"203.0.113.7\"", "/24"]),
            // Unknown time zones.
            (#"{"timezone": "Mars/Olympus"}"#, "timezone", ["\"Mars/Olympus\"", "not a known time zone"]),
            (#"{"timezone": "america/new_york"}"#, "timezone", ["\"america/new_york\"", "case-sensitive"]),
            (#"{"timezone": ""}"#, "timezone", ["\"\"", "not a known time zone"]),
            // Bad times, days and dates.
            (#"{"business_hours": {"start": "8am"}}"#, "business_hours.start", ["\"8am\"", "HH:MM"]),
            (#"{"business_hours": {"start": "8:00"}}"#, "business_hours.start", ["\"8:00\"", "HH:MM"]),
            (#"{"business_hours": {"start": "24:00"}}"#, "business_hours.start", ["\"24:00\"", "00:00 to 23:59"]),
            (#"{"business_hours": {"end": "18:60"}}"#, "business_hours.end", ["\"18:60\"", "00:00 to 24:00"]),
            (#"{"business_hours": {"start": "18:00", "end": "08:00"}}"#, "business_hours.end",
             ["\"08:00\" is not later than the start \"18:00\""]),
            (#"{"business_hours": {"end": "08:00"}}"#, "business_hours.end",
             ["\"08:00\" is not later than the start \"08:00\""]),
            (#"{"business_hours": {"days": ["Mon", "monday"]}}"#, "business_hours.days[1]", ["\"monday\"", "Mon, Tue"]),
            (#"{"holidays": ["2026-02-29"]}"#, "holidays[0]", ["\"2026-02-29\"", "YYYY-MM-DD"]),
            (#"{"holidays": ["2026-12-25", "25/12/2026"]}"#, "holidays[1]", ["\"25/12/2026\"", "YYYY-MM-DD"]),
            (#"{"sensitive_roles": [""]}"#, "sensitive_roles[0]", ["empty"]),
            // The document itself.
            ("[]", "", ["a JSON object at the top level", "an array"]),
        ] as [(String, String, [String])])
    func invalidValue(contents: String, key: String, fragments: [String]) throws {
        let error = try #require(try configError(loading: contents))
        #expect(error.key == key)
        for fragment in fragments {
            #expect(error.message.contains(fragment), "message: \(error.message)")
        }
    }

    @Test("invalid JSON reports line and column")
    func invalidJSON() throws {
        let error = try #require(try configError(loading: "{\n  \"timezone\": \"UTC\",\n}"))
        #expect(error.key == "")
        #expect(error.message.contains("line 3, column 1"), "message: \(error.message)")
    }

    @Test("missing file is an error")
    func missingFile() throws {
        try withFixtureDirectory { directory in
            let path = directory.appendingPathComponent("absent.json").path
            #expect(throws: ConfigError(file: path, key: "", message: "configuration file not found")) {
                try ScoringConfig.load(path: path)
            }
        }
    }

    @Test("directory is not a config file")
    func directoryPath() throws {
        try withFixtureDirectory { directory in
            let error = try #require(throws: ConfigError.self) { try ScoringConfig.load(path: directory.path) }
            #expect(error.message.contains("is a directory"))
        }
    }

    @Test("error description names file and key")
    func errorDescription() {
        let keyed = ConfigError(file: "trailscan.json", key: "weights.ip", message: "101 is out of range.")
        let whole = ConfigError(file: "trailscan.json", key: "", message: "configuration file not found")
        #expect(keyed.description == "trailscan.json: weights.ip: 101 is out of range.")
        #expect(whole.description == "trailscan.json: configuration file not found")
    }
}
