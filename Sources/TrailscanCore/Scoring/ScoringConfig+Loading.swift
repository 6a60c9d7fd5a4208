import EventPatterns
import Foundation

extension ScoringConfig {
    /// Reads and validates a configuration file.
    ///
    /// Every key is optional and replaces the default it names. Unknown keys
    /// at any level, repeated keys, values of the wrong type or range,
    /// invalid CIDR blocks, dates and times, and unknown time zones are
    /// errors, as are a missing file and invalid JSON.
    ///
    /// - Throws: `ConfigError` with the key path, the offending value and the
    ///   expected form.
    public static func load(path: String) throws(ConfigError) -> ScoringConfig {
        let bytes = try readFile(path)
        return try parse(bytes, file: path)
    }

    /// Validates a configuration document already in memory, as `load(path:)`
    /// does. `file` only names the source in errors.
    public static func parse(_ bytes: some Collection<UInt8>, file: String) throws(ConfigError) -> ScoringConfig {
        let document: JSONValue
        do {
            document = try JSONValue(parsing: bytes)
        } catch {
            throw ConfigError(file: file, key: "", message: error.description)
        }
        return try ConfigDecoder(file: file).decodeConfig(document)
    }

    private static func readFile(_ path: String) throws(ConfigError) -> [UInt8] {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw ConfigError(file: path, key: "", message: "configuration file not found")
        }
        guard !isDirectory.boolValue else {
            let message = "is a directory, not a file. Give the path of a JSON configuration file."
            throw ConfigError(file: path, key: "", message: message)
        }
        do {
            return Array(try Data(contentsOf: URL(fileURLWithPath: path)))
        } catch {
            throw ConfigError(file: path, key: "", message: "failed to read the file: \(error.localizedDescription)")
        }
    }
}

/// Turns a configuration document into a `ScoringConfig`, one key at a time,
/// and throws at the first invalid value.
private struct ConfigDecoder {
    let file: String

    func decodeConfig(_ document: JSONValue) throws(ConfigError) -> ScoringConfig {
        let members = try object(document, at: "", keys: [
            "timezone", "business_hours", "holidays", "trusted_networks", "suspicious_networks",
            "sensitive_roles", "weights", "learning_days", "error_burst",
        ])
        var config = ScoringConfig.defaults

        if let value = members["timezone"] {
            config.timeZone = try timeZone(value, at: "timezone")
        }
        if let value = members["business_hours"] {
            config.businessHours = try businessHours(value, at: "business_hours", defaults: config.businessHours)
        }
        if let value = members["holidays"] {
            config.holidays = Set(try array(value, at: "holidays", element: date))
        }
        if let value = members["trusted_networks"] {
            config.trustedNetworks = CIDRSet(try array(value, at: "trusted_networks", element: cidrBlock))
        }
        if let value = members["suspicious_networks"] {
            config.suspiciousNetworks = CIDRSet(try array(value, at: "suspicious_networks", element: cidrBlock))
        }
        if let value = members["sensitive_roles"] {
            config.sensitiveRoles = try array(value, at: "sensitive_roles", element: glob)
        }
        if let value = members["weights"] {
            config.weights = try weights(value, at: "weights", defaults: config.weights)
        }
        if let value = members["learning_days"] {
            config.learningDays = try integer(value, at: "learning_days", in: 0...Self.maximumInteger)
        }
        if let value = members["error_burst"] {
            config.errorBurst = try errorBurst(value, at: "error_burst", defaults: config.errorBurst)
        }
        return config
    }

    /// The limit of keys that only need to be non-negative or positive, so
    /// that day, minute and count arithmetic cannot overflow.
    static let maximumInteger = Int(Int32.max)

    // MARK: Nested objects

    private func timeZone(_ value: JSONValue, at key: String) throws(ConfigError) -> NamedTimeZone {
        let name = try string(value, at: key, expecting: "an IANA time zone name such as \"America/New_York\"")
        guard let zone = NamedTimeZone(identifier: name) else {
            throw error(
                at: key,
                "\(quoted(name)) is not a known time zone. "
                    + "Expected an IANA name such as \"America/New_York\" or \"UTC\" (names are case-sensitive)."
            )
        }
        return zone
    }

    private func businessHours(
        _ value: JSONValue, at key: String, defaults: BusinessHours
    ) throws(ConfigError) -> BusinessHours {
        let members = try object(value, at: key, keys: ["days", "start", "end"])

        var days = defaults.days
        if let value = members["days"] {
            days = Set(try array(value, at: "\(key).days", element: weekday))
        }
        var start = defaults.startMinute
        if let value = members["start"] {
            start = try timeOfDay(value, at: "\(key).start", allowsEndOfDay: false)
        }
        var end = defaults.endMinute
        if let value = members["end"] {
            end = try timeOfDay(value, at: "\(key).end", allowsEndOfDay: true)
        }

        guard let hours = BusinessHours(days: days, startMinute: start, endMinute: end) else {
            let startText = BusinessHours.formatTime(start)
            let endText = BusinessHours.formatTime(end)
            throw error(
                at: "\(key).end",
                "\(quoted(endText)) is not later than the start \(quoted(startText)). "
                    + "Business hours cannot span midnight, but \"24:00\" ends them at midnight."
            )
        }
        return hours
    }

    private func weights(
        _ value: JSONValue, at key: String, defaults: [Signal: Int]
    ) throws(ConfigError) -> [Signal: Int] {
        let members = try object(value, at: key, keys: Signal.weighted.map(\.rawValue))
        var weights = defaults
        for signal in Signal.weighted {
            if let value = members[signal.rawValue] {
                weights[signal] = try integer(value, at: "\(key).\(signal.rawValue)", in: 0...100)
            }
        }
        return weights
    }

    private func errorBurst(
        _ value: JSONValue, at key: String, defaults: ErrorBurst
    ) throws(ConfigError) -> ErrorBurst {
        let members = try object(value, at: key, keys: ["count", "minutes"])
        var burst = defaults
        if let value = members["count"] {
            burst.count = try integer(value, at: "\(key).count", in: 1...Self.maximumInteger)
        }
        if let value = members["minutes"] {
            burst.minutes = try integer(value, at: "\(key).minutes", in: 1...Self.maximumInteger)
        }
        return burst
    }

    // MARK: Strings with a syntax

    private func date(_ value: JSONValue, at key: String) throws(ConfigError) -> LocalDate {
        let text = try string(value, at: key, expecting: "a date such as \"2026-12-25\"")
        guard let date = LocalDate(text) else {
            throw error(at: key, "\(quoted(text)) is not a valid date. Expected YYYY-MM-DD, such as \"2026-12-25\".")
        }
        return date
    }

    private func timeOfDay(_ value: JSONValue, at key: String, allowsEndOfDay: Bool) throws(ConfigError) -> Int {
        let text = try string(value, at: key, expecting: "a time such as \"08:00\"")
        guard let minutes = BusinessHours.parseTime(text, allowsEndOfDay: allowsEndOfDay) else {
            let range = allowsEndOfDay ? "00:00 to 24:00" : "00:00 to 23:59"
            throw error(
                at: key,
                "\(quoted(text)) is not a valid time. "
                    + "Expected HH:MM on a 24-hour clock, from \(range), such as \"08:00\"."
            )
        }
        return minutes
    }

    private func weekday(_ value: JSONValue, at key: String) throws(ConfigError) -> Weekday {
        let text = try string(value, at: key, expecting: "a weekday such as \"Mon\"")
        guard let day = Weekday(abbreviation: text) else {
            throw error(at: key, "\(quoted(text)) is not a weekday. Expected one of Mon, Tue, Wed, Thu, Fri, Sat, Sun.")
        }
        return day
    }

    private func cidrBlock(_ value: JSONValue, at key: String) throws(ConfigError) -> CIDRBlock {
        let text = try string(value, at: key, expecting: "a CIDR block such as \"203.0.113.0/24\"")
        guard let block = CIDRBlock(text) else {
            throw error(
                at: key,
                "\(quoted(text)) is not a valid CIDR block. "
                    + "Expected an IPv4 block such as \"203.0.113.0/24\" (prefix 0-32) "
                    + "or an IPv6 block such as \"2001:db8::/32\" (prefix 0-128)."
            )
        }
        return block
    }

    private func glob(_ value: JSONValue, at key: String) throws(ConfigError) -> Glob {
        let text = try string(value, at: key, expecting: "a role ARN pattern such as \"*Admin*\"")
        guard !text.isEmpty else {
            throw error(at: key, "the pattern is empty. Expected a role ARN pattern such as \"*Admin*\".")
        }
        return Glob(text)
    }

    // MARK: JSON types

    /// Returns the members of an object by key after checking that every key is
    /// one of `keys` and appears once.
    private func object(
        _ value: JSONValue, at key: String, keys: [String]
    ) throws(ConfigError) -> [String: JSONValue] {
        guard case .object(let members) = value else {
            let expected = key.isEmpty ? "a JSON object at the top level" : "an object"
            throw error(at: key, "expected \(expected) but found \(describe(value)).")
        }

        var result: [String: JSONValue] = [:]
        for member in members {
            let memberKey = key.isEmpty ? member.key : "\(key).\(member.key)"
            guard keys.contains(member.key) else {
                throw error(at: memberKey, "unknown key. Valid keys here are \(keys.joined(separator: ", ")).")
            }
            guard result[member.key] == nil else {
                throw error(at: memberKey, "the key appears more than once. Keep one of its values.")
            }
            result[member.key] = member.value
        }
        return result
    }

    /// Returns the elements of an array, each converted by `element` with its
    /// indexed key path, such as `holidays[2]`.
    private func array<Element>(
        _ value: JSONValue, at key: String,
        element: (JSONValue, String) throws(ConfigError) -> Element
    ) throws(ConfigError) -> [Element] {
        guard case .array(let items) = value else {
            throw error(at: key, "expected an array but found \(describe(value)).")
        }

        var result: [Element] = []
        for (index, item) in items.enumerated() {
            result.append(try element(item, "\(key)[\(index)]"))
        }
        return result
    }

    private func string(_ value: JSONValue, at key: String, expecting expected: String) throws(ConfigError) -> String {
        guard case .string(let text) = value else {
            throw error(at: key, "expected \(expected) but found \(describe(value)).")
        }
        return text
    }

    /// Returns a JSON number with an integral value inside `range`. `30.0` is 30,
    /// `true` and `"30"` are not numbers.
    private func integer(_ value: JSONValue, at key: String, in range: ClosedRange<Int>) throws(ConfigError) -> Int {
        let expected = "an integer from \(range.lowerBound) to \(range.upperBound)"
        guard case .number(let number, let text) = value else {
            throw error(at: key, "expected \(expected) but found \(describe(value)).")
        }
        guard number.rounded() == number, abs(number) < 1e15 else {
            throw error(at: key, "\(text) is not an integer. Expected \(expected).")
        }
        guard range.contains(Int(number)) else {
            throw error(at: key, "\(text) is out of range. Expected \(expected).")
        }
        return Int(number)
    }

    // MARK: Messages

    private func error(at key: String, _ message: String) -> ConfigError {
        ConfigError(file: file, key: key, message: message)
    }

    /// Describes a value for an error message, such as `the number 8` or
    /// `the string "8am"`. Long strings are cut to keep the message short.
    private func describe(_ value: JSONValue) -> String {
        switch value {
        case .null: "null"
        case .bool(let flag): "the boolean \(flag)"
        case .number(_, let text): "the number \(text)"
        case .string(let text): "the string \(quoted(text))"
        case .array: "an array"
        case .object: "an object"
        }
    }

    /// Quotes `text` as a JSON string literal, cut after 80 characters.
    private func quoted(_ text: String) -> String {
        let shortened = text.count > 80 ? String(text.prefix(80)) + "..." : text
        return JSONValue.string(shortened).serialized
    }
}
