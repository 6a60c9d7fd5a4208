import EventPatterns

/// The outcome of running one rule's examples, for `trailscan rules test`.
public struct RuleExampleResult: Sendable {
    public var rule: Rule
    /// One entry per example that behaved unlike its label, such as
    /// `examples.match[1] does not match the pattern`.
    public var failures: [String]

    public var passed: Bool { failures.isEmpty }
}

extension RuleSet {
    /// Runs every example of every rule through the path a scan takes. The
    /// example's JSON bytes go through the field scanner (envelope view) and
    /// the matcher compiled from all rules together. A `match` example passes
    /// when its own rule is among the hits, a `no_match` example when it is not.
    public func testExamples() -> [RuleExampleResult] {
        var envelopeMatcher = EnvelopeViewMatcher(matcher: matcher)
        var results: [RuleExampleResult] = []

        for (ruleIndex, rule) in rules.enumerated() {
            var failures: [String] = []
            let labelled = rule.matchExamples.map { ($0, true) } + rule.noMatchExamples.map { ($0, false) }
            var positions = (match: 0, noMatch: 0)
            for (example, shouldMatch) in labelled {
                let label: String
                if shouldMatch {
                    label = "examples.match[\(positions.match)]"
                    positions.match += 1
                } else {
                    label = "examples.no_match[\(positions.noMatch)]"
                    positions.noMatch += 1
                }
                let bytes = Array(example.serialized.utf8)
                do {
                    let didMatch = try bytes.withUnsafeBufferPointer { buffer throws(FieldScanner.SyntaxError) in
                        try envelopeMatcher.match(buffer) { _, hits in hits.contains(ruleIndex) }
                    }
                    if didMatch && !shouldMatch { failures.append("\(label) matches the pattern but is listed under no_match") }
                    if !didMatch && shouldMatch { failures.append("\(label) does not match the pattern") }
                } catch {
                    failures.append("\(label) cannot be read as a record: \(error.message)")
                }
            }
            results.append(RuleExampleResult(rule: rule, failures: failures))
        }
        return results
    }
}
