import Testing

@testable import TrailscanCore

@Suite("Reasons column")
struct ReasonJSONTests {
    static let lists: [[Reason]] = [
        [],
        [Reason(signal: .rule, points: 40, detail: "rule RootConsoleLogin matched")],
        [
            Reason(signal: .rule, points: 75, detail: "rule CloudTrailLoggingStopped matched"),
            Reason(signal: .ip, points: 25, detail: "203.0.113.9 is outside the trusted networks"),
            Reason(signal: .time, points: 0, detail: "Sat 03:30 America/New_York"),
            Reason(signal: .anomaly, points: -5, detail: "first seen for arn:aws:iam::111122223333:role/Ops: region eu-west-3"),
        ],
        // Details that need escapes, and text beyond ASCII.
        [Reason(signal: .role, points: 20, detail: #"role "Admin" matched arn:aws:iam::*:role/\*"#)],
        [Reason(signal: .ip, points: 10, detail: "line one\nline two\ttab")],
        [Reason(signal: .anomaly, points: 30, detail: "first seen for café ☕: eventName Übersicht")],
        [Reason(signal: .rule, points: 123_456_789, detail: "")],
    ]

    @Test("a finding's reasons spliced from parts", arguments: lists)
    func splicedStaticReasons(reasons: [Reason]) {
        let rule = Reason(signal: .rule, points: 65, detail: #"rule Odd"Name\ matched"#)
        let stored = Finding.staticReasons(
            rule: Finding.RuleReason(rule: #"Odd"Name\"#, baseScore: 65), reasons: Finding.StaticTail(reasons))
        #expect(stored.json == Reason.encode([rule] + reasons))
        #expect(stored.score == min(100, 65 + reasons.reduce(0) { $0 + $1.points }))
    }

    @Test("encode then decode round trip", arguments: lists)
    func roundTrip(reasons: [Reason]) {
        #expect(Reason.decode(Reason.encode(reasons)) == reasons)
    }

    @Test("encoder output parsed directly")
    func directParser() {
        for reasons in Self.lists {
            var text = Reason.encode(reasons)
            let direct = text.withUTF8(Reason.decodeAsEncoded)
            let needsEscape = reasons.contains { $0.detail.contains { $0 == "\"" || $0 == "\\" || $0.isNewline || $0 == "\t" } }
            #expect(direct == (needsEscape ? nil : reasons), "\(text)")
        }
    }

    @Test("other JSON spellings")
    func otherSpellings() {
        let expected = [Reason(signal: .ip, points: 25, detail: "outside")]
        #expect(Reason.decode(#"[ {"signal": "ip", "points": 25, "detail": "outside"} ]"#) == expected)
        #expect(Reason.decode(#"[{"detail":"outside","points":25,"signal":"ip"}]"#) == expected)
        #expect(Reason.decode(#"[{"signal":"ip","points":25.0,"detail":"outside"}]"#) == expected)
        #expect(Reason.decode(#"[{"signal":"\u0069p","points":25,"detail":"outside"}]"#) == expected)
    }

    @Test("unknown signals are dropped")
    func unknownSignals() {
        let text = #"[{"signal":"mood","points":1,"detail":"x"},{"signal":"ip","points":2,"detail":"y"}]"#
        #expect(Reason.decode(text) == [Reason(signal: .ip, points: 2, detail: "y")])
    }

    @Test("malformed text decodes empty", arguments: [
        #"[{"signal":"ip","points":01,"detail":"x"}]"#,
        #"[{"signal":"ip","points":1,"detail":"x"}"#,
        #"[{"signal":"ip","points":1,"detail":"x"}]]"#,
        #"[{"signal":"ip","points":,"detail":"x"}]"#,
        "",
        "null",
    ])
    func malformed(text: String) {
        #expect(Reason.decode(text) == [])
    }
}
