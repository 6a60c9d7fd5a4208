/// A part of a finding's score: the matched rule's base score, or one of
/// the four risk signals.
///
/// The raw value is the name used in stored reasons and, for the four risk
/// signals, in the configuration's `weights` object.
public enum Signal: String, Sendable, CaseIterable {
    /// The base score of the rule that matched; always the first reason.
    case rule
    case ip, time, role, anomaly

    /// The signals that have a weight in the configuration.
    public static let weighted: [Signal] = [.ip, .time, .role, .anomaly]
}
