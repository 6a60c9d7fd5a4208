import EventPatterns

/// Matches record bytes against a compiled `PatternMatcher` the way `scan`
/// does: the field scanner reads each record in its EventBridge envelope view
/// (a bare CloudTrail record becomes the `detail` of a synthesized envelope)
/// and the matcher runs on the leaves it extracted.
///
/// A lookup-events item is matched as the record in its `CloudTrailEvent`
/// string. One instance owns the scanner's buffers, so keep it for many
/// records.
struct EnvelopeViewMatcher {
    let matcher: PatternMatcher
    private var scanner: FieldScanner
    private var workspace = PatternMatcher.Workspace()
    private var hits: [Int] = []

    init(matcher: PatternMatcher) {
        self.matcher = matcher
        self.scanner = FieldScanner(trie: FieldTrie(matcherPaths: matcher.fieldPaths))
    }

    /// Scans `bytes` and passes to `body` the record's bytes (`bytes` itself,
    /// or the decoded `CloudTrailEvent` record of a lookup-events item) and
    /// the indices of the matching patterns, in ascending order.
    ///
    /// - Throws: `FieldScanner.SyntaxError` with an offset into `bytes`, or
    ///   into the decoded record when that record is invalid.
    mutating func match<Result>(
        _ bytes: UnsafeBufferPointer<UInt8>,
        _ body: (_ record: UnsafeBufferPointer<UInt8>, _ hits: [Int]) -> Result
    ) throws(FieldScanner.SyntaxError) -> Result {
        hits.removeAll(keepingCapacity: true)
        let shape = try scanner.scan(bytes)
        guard case .lookupEventsItem(let start, let end) = shape else {
            matcher.matchingPatterns(in: scanner.event, into: &hits, using: &workspace)
            return body(bytes, hits)
        }

        let decoded = scanner.decodedString(from: start, to: end)
        return try decoded.withUnsafeBufferPointer { record throws(FieldScanner.SyntaxError) in
            _ = try scanner.scan(record)
            matcher.matchingPatterns(in: scanner.event, into: &hits, using: &workspace)
            return body(record, hits)
        }
    }
}
