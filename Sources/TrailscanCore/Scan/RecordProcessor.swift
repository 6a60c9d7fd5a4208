import EventPatterns

/// Turns raw records into findings and baseline observations. One instance
/// per worker thread: it owns the scanner's reusable buffers.
struct RecordProcessor {
    private let rules: RuleSet
    private let scorer: StaticScorer
    private var scanner: FieldScanner
    private var hits: [Int] = []
    private var workspace = PatternMatcher.Workspace()
    /// User-agent families by user agent: a trail repeats a few hundred user
    /// agents, so most records skip the classification.
    private var userAgentFamilies: [String: String] = [:]

    init(rules: RuleSet, scorer: StaticScorer) {
        self.rules = rules
        self.scorer = scorer
        self.scanner = FieldScanner(trie: FieldTrie(matcherPaths: rules.matcher.fieldPaths))
    }

    /// Reads every record of `reader` into `result`. Problems with single
    /// records are counted in `result`; a failure of the whole input is thrown.
    mutating func process(_ reader: RecordReader, into result: inout InputResult) throws(InputError) {
        while let record = try reader.next() {
            process(record, reader: reader, into: &result)
        }
        for problem in reader.problems where result.problems.count < 3 {
            result.problems.append(problem.detail)
        }
        result.badRecords += reader.problemCount
    }

    /// Processes one record; returns false when it could not be read.
    @discardableResult
    mutating func process(_ record: RecordReader.Record, reader: RecordReader, into result: inout InputResult) -> Bool {
        do {
            var shape = try scanner.scan(record.bytes)
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

        let eventID = scanner.string(.eventID) ?? ""
        let identityType = scanner.string(.identityType)
        let principal = principalARN(identityType: identityType)
        let account = scanner.string(.recipientAccountId) ?? scanner.string(.identityAccountId)
        observeBaseline(principal: principal, account: account, epoch: epoch, eventID: eventID, into: &result)

        hits.removeAll(keepingCapacity: true)
        rules.matcher.matchingPatterns(in: scanner.event, into: &hits, using: &workspace)
        guard !hits.isEmpty else { return true }

        let facts = EventFacts(
            eventTime: epoch, sourceIPAddress: scanner.string(.sourceIPAddress), identityType: identityType,
            identityARN: scanner.string(.identityARN), sessionIssuerARN: scanner.string(.sessionIssuerARN),
            requestedRoleARN: scanner.string(.requestedRoleARN))
        let reasons = scorer.reasons(for: facts)
        let event = Redaction.redacted(bytes)
        for hit in hits {
            let rule = rules.rules[hit]
            result.findings.append(
                Finding(
                    eventID: eventID, rule: rule.name, baseScore: rule.baseScore, staticReasons: reasons,
                    eventTime: EventTime.format(epoch), eventEpoch: epoch, accountID: account,
                    region: scanner.string(.awsRegion), eventSource: scanner.string(.eventSource),
                    eventName: scanner.string(.eventName), principalARN: principal, principalType: identityType,
                    sourceIP: facts.sourceIPAddress, userAgent: scanner.string(.userAgent),
                    errorCode: scanner.string(.errorCode), source: result.path, event: event))
        }
        return true
    }

    /// The principal whose behaviour the baseline tracks: the role behind an
    /// assumed-role session, otherwise the identity's ARN. AWS services have none.
    private func principalARN(identityType: String?) -> String? {
        if identityType == "AWSService" { return nil }
        if identityType == "AssumedRole", let issuer = scanner.string(.sessionIssuerARN), !issuer.isEmpty {
            return issuer
        }
        guard let arn = scanner.string(.identityARN), !arn.isEmpty else { return nil }
        return arn
    }

    private mutating func observeBaseline(
        principal: String?, account: String?, epoch: Int64, eventID: String, into result: inout InputResult
    ) {
        if let account { result.observeAccount(account, epoch: epoch) }
        guard let principal else { return }
        let seen = FirstSeen(epoch: epoch, eventID: eventID)
        if let address = scanner.string(.sourceIPAddress), let ip = IPAddress(address) {
            result.observe(BaselineKey(principal: principal, kind: .network, value: ip.networkKey), seen)
        }
        if let region = scanner.string(.awsRegion) {
            result.observe(BaselineKey(principal: principal, kind: .region, value: region), seen)
        }
        if let eventName = scanner.string(.eventName) {
            result.observe(BaselineKey(principal: principal, kind: .eventName, value: eventName), seen)
        }
        if let userAgent = scanner.string(.userAgent) {
            let family = userAgentFamily(of: userAgent)
            result.observe(BaselineKey(principal: principal, kind: .userAgentFamily, value: family), seen)
        }
        if let errorCode = scanner.string(.errorCode), AccessDenied.matches(errorCode) {
            result.deniedCalls.append(DeniedCall(principal: principal, epoch: epoch, eventID: eventID))
        }
    }

    private mutating func userAgentFamily(of userAgent: String) -> String {
        if let known = userAgentFamilies[userAgent] { return known }
        if userAgentFamilies.count >= 4096 { userAgentFamilies.removeAll(keepingCapacity: true) }
        let family = UserAgentFamily.family(of: userAgent)
        userAgentFamilies[userAgent] = family
        return family
    }

    private func note(problem: String, in result: inout InputResult) {
        result.badRecords += 1
        if result.problems.count < 3 { result.problems.append(problem) }
    }
}
