/// One of the four risk signals.
///
/// The raw value is the name used in the configuration's `weights` object and
/// in stored reasons.
public enum Signal: String, Sendable, CaseIterable {
    case ip, time, role, anomaly
}
