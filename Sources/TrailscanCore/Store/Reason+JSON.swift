import EventPatterns

extension Reason {
    /// Encodes the `reasons` column: a JSON array of
    /// `{"signal","points","detail"}` objects, in that key order. It is
    /// written directly, because it runs for every stored and rescored finding.
    static func encode(_ reasons: [Reason]) -> String {
        var output = "["
        for (position, reason) in reasons.enumerated() {
            if position > 0 { output += "," }
            output += #"{"signal":""# + reason.signal.rawValue + #"","points":"# + String(reason.points) + #","detail":"#
            JSONValue.writeQuoted(reason.detail, to: &output)
            output += "}"
        }
        return output + "]"
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
