extension StaticScorer {
    /// Returns the role signal's detail, or nil when it does not fire.
    ///
    /// The first match wins: a `Root` identity, then the role being assumed
    /// (`requestParameters.roleArn`), then the acting role's session issuer.
    /// A pattern matches an ARN when it matches the whole ARN or the role
    /// name after its last `/`, so `BreakGlass` matches
    /// `arn:aws:iam::111122223333:role/BreakGlass` without stars.
    func roleDetail(for facts: EventFacts) -> String? {
        if facts.identityType == "Root" {
            return "Root identity"
        }
        if let arn = facts.requestedRoleARN, let pattern = sensitivePattern(matching: arn) {
            return "role \(arn) matches \(pattern)"
        }
        if let arn = facts.sessionIssuerARN, let pattern = sensitivePattern(matching: arn) {
            return "session issuer \(arn) matches \(pattern)"
        }
        return nil
    }

    /// Returns the first sensitive role pattern that matches `arn`, or nil. An empty
    /// ARN never matches.
    private func sensitivePattern(matching arn: String) -> Glob? {
        guard !arn.isEmpty else { return nil }
        var arn = arn
        let isASCII = arn.withUTF8 { $0.allSatisfy { $0 < 0x80 } }
        // Non-ASCII text takes the Unicode lowercasing of `lowercased()`.
        if !isASCII { arn = arn.lowercased() }
        return arn.withUTF8 { bytes in
            withUnsafeTemporaryAllocation(of: UInt8.self, capacity: bytes.count) { lowercased in
                for index in bytes.indices {
                    let byte = bytes[index]
                    // ASCII, as ARNs almost always are: the same as `lowercased()`, without the Unicode tables.
                    lowercased[index] = (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte) ? byte | 0x20 : byte
                }
                let arn = UnsafeBufferPointer(lowercased)
                let name = arn.lastIndex(of: ASCII.slash).map { UnsafeBufferPointer(rebasing: arn[($0 + 1)...]) } ?? arn
                return config.sensitiveRoles.first { pattern in
                    pattern.matches(lowercasedUTF8: arn) || pattern.matches(lowercasedUTF8: name)
                }
            }
        }
    }
}
