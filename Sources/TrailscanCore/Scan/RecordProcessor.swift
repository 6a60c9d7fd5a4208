import EventPatterns

/// Turns raw records into findings and baseline observations. One instance
/// per worker thread: it owns the scanner's reusable buffers.
struct RecordProcessor {
    private let rules: RuleSet
    private let scorer: StaticScorer
    private var scanner: FieldScanner
    private var hits: [Int] = []
    private var workspace = PatternMatcher.Workspace()
    private var baseline = BaselineTracker()
    private var reasonMemo = StaticScorer.ReasonMemo()
    /// Each rule's reason, by rule index.
    private let ruleReasons: [Finding.RuleReason]
    /// The scoring work this processor does: all of it, except in the scoring benchmark.
    private let steps: ScoringSteps

    /// The per-record work of scoring. A scan runs all of it, and the
    /// scoring benchmark times the pipeline without some or all of it.
    struct ScoringSteps: OptionSet {
        let rawValue: Int
        /// Baseline observations (first sightings per principal and account).
        static let baseline = ScoringSteps(rawValue: 1)
        /// Access-denied calls, for error bursts.
        static let deniedCalls = ScoringSteps(rawValue: 2)
        /// The ip, time and role reasons of each finding.
        static let reasons = ScoringSteps(rawValue: 4)
        static let all: ScoringSteps = [.baseline, .deniedCalls, .reasons]
    }

    init(rules: RuleSet, scorer: StaticScorer, steps: ScoringSteps = .all) {
        self.rules = rules
        self.scorer = scorer
        self.steps = steps
        self.scanner = FieldScanner(trie: FieldTrie(matcherPaths: rules.matcher.fieldPaths))
        self.ruleReasons = rules.rules.map { Finding.RuleReason(rule: $0.name, baseScore: $0.baseScore) }
    }

    /// Reads every record of `reader` into `result`. Problems with single
    /// records are counted in `result`; a failure of the whole input is thrown.
    mutating func process(_ reader: RecordReader, into result: inout InputResult) throws(InputError) {
        defer { flushBaseline(into: &result) }
        while let record = try reader.next(scanningWith: &scanner) {
            process(record, reader: reader, into: &result)
        }
        for problem in reader.problems where result.problems.count < 3 {
            result.problems.append(problem.detail)
        }
        result.badRecords += reader.problemCount
    }

    /// Adds the baseline observations gathered so far to `result`; call it
    /// before committing a result built with `process(_:reader:into:)`.
    mutating func flushBaseline(into result: inout InputResult) {
        baseline.flush(into: &result)
    }

    /// Processes one record; returns false when it could not be read.
    @discardableResult
    mutating func process(_ record: RecordReader.Record, reader: RecordReader, into result: inout InputResult) -> Bool {
        do {
            var shape: FieldScanner.Shape
            if let scanned = record.scannedShape {
                shape = scanned
            } else {
                shape = try scanner.scan(record.bytes)
            }
            if case .lookupEventsItem(let start, let end) = shape {
                let decoded = scanner.decodedString(from: start, to: end)
                return try decoded.withUnsafeBufferPointer { bytes throws(FieldScanner.SyntaxError) in
                    shape = try scanner.scan(bytes)
                    return evaluate(bytes, offset: record.offset, reader: reader, into: &result)
                }
            }
            return evaluate(record.bytes, offset: record.offset, reader: reader, into: &result)
        } catch {
            let offset = record.offset + Int64(error.offset)
            note(problem: "line \(reader.line(ofOffset: record.offset)), byte \(offset): invalid JSON: \(error.message)", in: &result)
            return false
        }
    }

    private mutating func evaluate(
        _ bytes: UnsafeBufferPointer<UInt8>, offset: Int64, reader: RecordReader, into result: inout InputResult
    ) -> Bool {
        guard let timeBytes = scanner.rawBytes(.eventTime), scanner.core[CoreField.eventTime.rawValue].kind == .string,
              let epoch = EventTime.parse(timeBytes)
        else {
            let what = scanner.rawBytes(.eventTime) == nil ? "has no eventTime" : "has an eventTime that is not an ISO 8601 time"
            if scanner.rawBytes(.eventTime) == nil { result.objectsWithoutEventTime += 1 }
            note(problem: "line \(reader.line(ofOffset: offset)), byte \(offset): the record \(what)", in: &result)
            return false
        }
        result.records += 1

        if steps.contains(.baseline) {
            baseline.observe(scanner, epoch: epoch)
        }
        if steps.contains(.deniedCalls), Self.isAccessDenied(scanner),
           let principal = BaselineTracker.principal(identityType: scanner.string(.identityType), scanner: scanner)
        {
            result.observations.appendDeniedCall(principal: principal, epoch: epoch, eventID: scanner.string(.eventID) ?? "")
        }

        hits.removeAll(keepingCapacity: true)
        rules.matcher.matchingPatterns(in: scanner.event, into: &hits, using: &workspace)
        guard !hits.isEmpty else { return true }

        let eventID = scanner.string(.eventID) ?? ""
        let identityType = scanner.string(.identityType)
        let principal = BaselineTracker.principal(identityType: identityType, scanner: scanner)
        let account = scanner.string(.recipientAccountId) ?? scanner.string(.identityAccountId)

        let facts = EventFacts(
            eventTime: epoch, sourceIPAddress: scanner.string(.sourceIPAddress), identityType: identityType,
            identityARN: scanner.string(.identityARN), sessionIssuerARN: scanner.string(.sessionIssuerARN),
            requestedRoleARN: scanner.string(.requestedRoleARN))
        let reasons = steps.contains(.reasons) ? scorer.staticTail(for: facts, memo: &reasonMemo) : Finding.StaticTail([])
        // The strings of the event are built once and shared by its findings.
        let event = Redaction.redacted(bytes)
        let eventTime = EventTime.format(epoch)
        let region = scanner.string(.awsRegion)
        let eventSource = scanner.string(.eventSource)
        let eventName = scanner.string(.eventName)
        let userAgent = scanner.string(.userAgent)
        let errorCode = scanner.string(.errorCode)
        for hit in hits {
            let rule = rules.rules[hit]
            // Encoded here, on the worker, so that the single writer only stores it.
            let stored = Finding.staticReasons(rule: ruleReasons[hit], reasons: reasons)
            result.findings.append(
                Finding(
                    eventID: eventID, rule: rule.name, baseScore: rule.baseScore, staticReasons: stored.json,
                    staticScore: stored.score,
                    eventTime: eventTime, eventEpoch: epoch, accountID: account,
                    region: region, eventSource: eventSource,
                    eventName: eventName, principalARN: principal, principalType: identityType,
                    sourceIP: facts.sourceIPAddress, userAgent: userAgent,
                    errorCode: errorCode, source: result.path, event: event))
        }
        return true
    }

    /// Returns whether the record's errorCode is an access-denied error,
    /// reading its raw bytes unless it contains escapes.
    private static func isAccessDenied(_ scanner: FieldScanner) -> Bool {
        guard let raw = scanner.rawBytes(.errorCode) else { return false }
        if scanner.core[CoreField.errorCode.rawValue].hasEscapes {
            return scanner.string(.errorCode).map(AccessDenied.matches) ?? false
        }
        return AccessDenied.matches(raw)
    }

    private func note(problem: String, in result: inout InputResult) {
        result.badRecords += 1
        if result.problems.count < 3 { result.problems.append(problem) }
    }
}
