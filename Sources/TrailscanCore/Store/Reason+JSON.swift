import EventPatterns

extension Reason {
    /// The `reasons` column: a JSON array of `{"signal","points","detail"}` objects.
    static func encode(_ reasons: [Reason]) -> String {
        JSONValue.array(reasons.map { reason in
            .object([
                JSONMember(key: "signal", value: .string(reason.signal.rawValue)),
                JSONMember(key: "points", value: .number(Double(reason.points), text: String(reason.points))),
                JSONMember(key: "detail", value: .string(reason.detail)),
            ])
        }).serialized
    }

    /// Parses a `reasons` column written by `encode`; unknown signals are dropped.
    static func decode(_ text: String) -> [Reason] {
        guard let elements = (try? JSONValue(parsing: text))?.arrayValue else { return [] }
        return elements.compactMap { element in
            guard let signal = element["signal"]?.stringValue.flatMap(Signal.init(rawValue:)),
                  let points = element["points"]?.numberValue,
                  let detail = element["detail"]?.stringValue
            else { return nil }
            return Reason(signal: signal, points: Int(points), detail: detail)
        }
    }
}
