/// A day of the week, numbered from Monday as ISO 8601 does.
public enum Weekday: Int, CaseIterable, Comparable, Sendable {
    case monday = 1, tuesday, wednesday, thursday, friday, saturday, sunday

    /// Creates the weekday named by its three-letter English abbreviation, spelled
    /// exactly as `abbreviation` returns it (`Mon` ... `Sun`).
    public init?(abbreviation: String) {
        guard let day = Self.allCases.first(where: { $0.abbreviation == abbreviation }) else { return nil }
        self = day
    }

    /// Creates the weekday of a Foundation `Calendar` weekday number, which counts
    /// from 1 for Sunday to 7 for Saturday.
    init(calendarWeekday: Int) {
        self = Self(rawValue: (calendarWeekday + 5) % 7 + 1) ?? .monday
    }

    /// The three-letter English abbreviation, such as `Mon`.
    public var abbreviation: String {
        switch self {
        case .monday: "Mon"
        case .tuesday: "Tue"
        case .wednesday: "Wed"
        case .thursday: "Thu"
        case .friday: "Fri"
        case .saturday: "Sat"
        case .sunday: "Sun"
        }
    }

    public static func < (lhs: Weekday, rhs: Weekday) -> Bool {
        lhs.rawValue < rhs.rawValue
    }
}
