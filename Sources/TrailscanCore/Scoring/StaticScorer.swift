import Foundation

/// Computes the ip, time and role signals of an event: the signals that need
/// only the event itself and the configuration, not a baseline.
///
/// A scorer is built once per scan and shared by every worker. Each call
/// does a binary search per network set, one time zone conversion and a
/// pattern match per sensitive role, and allocates only the result.
public struct StaticScorer: Sendable {
    public let config: ScoringConfig
    /// A Gregorian calendar in the configured zone, built once because
    /// building a `Calendar` costs more than using one.
    let calendar: Calendar
    /// The time detail's ending for an event outside business hours,
    /// formatted once.
    let outsideHours: String
    /// The points of the ip, time and role signals, or nil for a signal that
    /// never fires, read once from `config.weights`.
    let ipPoints: Int?
    let timePoints: Int?
    let rolePoints: Int?
    /// The encoded ip reason up to its detail, for `staticTail(for:memo:)`.
    let ipReasonOpening: String

    public init(config: ScoringConfig) {
        self.config = config
        func enabled(_ signal: Signal) -> Int? { config.weights[signal].flatMap { $0 > 0 ? $0 : nil } }
        ipPoints = enabled(.ip)
        timePoints = enabled(.time)
        rolePoints = enabled(.role)
        ipReasonOpening = #"{"signal":"ip","points":"# + String(ipPoints ?? 0) + #","detail":""#
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = config.timeZone.timeZone
        self.calendar = calendar
        outsideHours = " (outside \(config.businessHours))"
    }

    /// Returns the reasons that fire for `facts`, in the order ip, time, role. A
    /// signal whose weight is 0 never fires.
    public func reasons(for facts: EventFacts) -> [Reason] {
        var reasons: [Reason] = []
        if let points = ipPoints, let detail = ipDetail(for: facts) {
            reasons.append(Reason(signal: .ip, points: points, detail: detail))
        }
        if let points = timePoints, let detail = timeDetail(for: facts) {
            reasons.append(Reason(signal: .time, points: points, detail: detail))
        }
        if let points = rolePoints, let detail = roleDetail(for: facts) {
            reasons.append(Reason(signal: .role, points: points, detail: detail))
        }
        return reasons
    }
}
