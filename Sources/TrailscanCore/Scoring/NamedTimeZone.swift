import Foundation

/// A time zone together with the identifier it was configured by.
///
/// Foundation's `TimeZone(identifier: "UTC").identifier` is `GMT` on Linux
/// (swift-corelibs-foundation in Swift 6.3), so reasons show `name` instead,
/// which is what the user wrote.
public struct NamedTimeZone: Sendable, Equatable {
    /// The identifier as configured, such as `America/New_York`.
    public let name: String
    public let timeZone: TimeZone

    /// Creates the zone with this identifier, or returns nil when Foundation does not know it.
    /// Identifiers are case-sensitive IANA names such as `Australia/Sydney`.
    /// Foundation also accepts `UTC`, `GMT` and a few abbreviations such as
    /// `EST`.
    public init?(identifier: String) {
        guard let timeZone = TimeZone(identifier: identifier) else { return nil }
        self.name = identifier
        self.timeZone = timeZone
    }

    /// Coordinated Universal Time, named `UTC`.
    public static let utc = NamedTimeZone(name: "UTC", timeZone: TimeZone(secondsFromGMT: 0) ?? .current)

    private init(name: String, timeZone: TimeZone) {
        self.name = name
        self.timeZone = timeZone
    }
}
