/// Why a finding scored what it did: one signal that fired, its points and
/// the concrete detail (which network, which local hour, which ARN).
public struct Reason: Sendable, Equatable {
    public var signal: Signal
    public var points: Int
    public var detail: String

    public init(signal: Signal, points: Int, detail: String) {
        self.signal = signal
        self.points = points
        self.detail = detail
    }
}
