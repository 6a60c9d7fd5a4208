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

        var lowercasedARN = Array(arn.utf8)
        if lowercasedARN.allSatisfy({ $0 < 0x80 }) {
            // ASCII, as ARNs almost always are: the same as `lowercased()`, without the Unicode tables.
            for index in lowercasedARN.indices where (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(lowercasedARN[index]) {
                lowercasedARN[index] |= 0x20
            }
        } else {
            lowercasedARN = Array(arn.lowercased().utf8)
        }
        let name = lowercasedARN.lastIndex(of: ASCII.slash).map { Array(lowercasedARN[($0 + 1)...]) } ?? lowercasedARN
        return config.sensitiveRoles.first { pattern in
            pattern.matches(lowercasedUTF8: lowercasedARN) || pattern.matches(lowercasedUTF8: name)
        }
    }
}
