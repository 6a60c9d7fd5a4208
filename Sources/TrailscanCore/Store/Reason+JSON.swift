import EventPatterns

extension Reason {
    /// Encodes the `reasons` column: a JSON array of
    /// `{"signal","points","detail"}` objects, in that key order. It is
    /// written directly, because it runs for every stored and rescored finding.
    static func encode(_ reasons: [Reason]) -> String {
        var output = ""
        output.reserveCapacity(2 + reasons.count * 112)
        output.append("[")
        for (position, reason) in reasons.enumerated() {
            if position > 0 { output.append(",") }
            output.append(#"{"signal":""#)
            output.append(reason.signal.rawValue)
            output.append(#"","points":"#)
            output.append(String(reason.points))
            output.append(#","detail":"#)
            JSONValue.writeQuoted(reason.detail, to: &output)
            output.append("}")
        }
        output.append("]")
        return output
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
