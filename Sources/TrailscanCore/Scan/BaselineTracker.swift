/// Collects an input's baseline observations without building strings per
/// record.
///
/// Records are grouped by the raw bytes of the fields that decide their
/// baseline keys (account, identity, source address, region, event name,
/// user agent). Most records of a file repeat a few combinations, so the
/// strings, the address parse and the user-agent classification happen once
/// per group; per record the tracker hashes those bytes, finds the group and
/// keeps the earliest (eventTime, eventID). `flush(into:)` turns the groups
/// into `BaselineKey` observations.
struct BaselineTracker {
    private struct Group {
        var fields: [UInt8]
        var principal: String?
        var account: String?
        var keys: [(BaselineKey.Kind, String)]
        var first: FirstSeen
    }

    private static let fields: [CoreField] = [
        .recipientAccountId, .identityAccountId, .identityType, .identityARN, .sessionIssuerARN,
        .sourceIPAddress, .awsRegion, .eventName, .userAgent,
    ]
    private static let assumedRole = Array("AssumedRole".utf8)

    private var groups: [Group] = []
    private var groupsByHash: [UInt64: [Int32]] = [:]
    private var fieldBytes: [UInt8] = []
    /// User-agent families by user agent, kept across inputs: a trail repeats
    /// a few hundred user agents.
    private var userAgentFamilies: [String: String] = [:]

    /// Records one record's fields; returns the principal, for callers that
    /// need it (error bursts), or nil for records without one.
    mutating func observe(_ scanner: FieldScanner, epoch: Int64) -> String? {
        fieldBytes.removeAll(keepingCapacity: true)
        let isAssumedRole = scanner.rawBytes(.identityType).map { $0.elementsEqual(Self.assumedRole) } ?? false
        for field in Self.fields {
            guard var bytes = scanner.rawBytes(field) else {
                fieldBytes.append(0xFF)
                continue
            }
            // Only what decides a key goes into the group: an assumed role's
            // session name does not, and neither does the host part of an
            // IPv4 address, whose /24 is the network key.
            if field == .identityARN && isAssumedRole && scanner.rawBytes(.sessionIssuerARN) != nil {
                fieldBytes.append(0xFE)
                continue
            }
            if field == .sourceIPAddress, !bytes.contains(ASCII.colon), let lastDot = bytes.lastIndex(of: ASCII.dot),
               Self.isOctet(UnsafeBufferPointer(rebasing: bytes[(lastDot + 1)...]))
            {
                bytes = UnsafeBufferPointer(rebasing: bytes[..<lastDot])
            }
            let count = UInt32(truncatingIfNeeded: bytes.count)
            fieldBytes.append(UInt8(truncatingIfNeeded: count))
            fieldBytes.append(UInt8(truncatingIfNeeded: count >> 8))
            fieldBytes.append(UInt8(truncatingIfNeeded: count >> 16))
            fieldBytes.append(contentsOf: bytes)
        }
        let hash = Self.hash(fieldBytes)

        if let candidates = groupsByHash[hash] {
            for index in candidates where groups[Int(index)].fields == fieldBytes {
                updateFirst(of: Int(index), scanner: scanner, epoch: epoch)
                return groups[Int(index)].principal
            }
        }
        let group = makeGroup(scanner: scanner, epoch: epoch)
        groupsByHash[hash, default: []].append(Int32(groups.count))
        groups.append(group)
        return group.principal
    }

    /// Adds every group's observations to `result` and forgets the groups.
    mutating func flush(into result: inout InputResult) {
        for group in groups {
            if let account = group.account { result.observeAccount(account, epoch: group.first.epoch) }
            guard let principal = group.principal else { continue }
            for (kind, value) in group.keys {
                result.observe(BaselineKey(principal: principal, kind: kind, value: value), group.first)
            }
        }
        groups.removeAll(keepingCapacity: true)
        groupsByHash.removeAll(keepingCapacity: true)
    }

    private mutating func updateFirst(of index: Int, scanner: FieldScanner, epoch: Int64) {
        let current = groups[index].first
        if epoch > current.epoch { return }
        let eventID = scanner.string(.eventID) ?? ""
        if epoch < current.epoch || eventID < current.eventID {
            groups[index].first = FirstSeen(epoch: epoch, eventID: eventID)
        }
    }

    private mutating func makeGroup(scanner: FieldScanner, epoch: Int64) -> Group {
        let identityType = scanner.string(.identityType)
        let account = scanner.string(.recipientAccountId) ?? scanner.string(.identityAccountId)
        let principal = Self.principal(identityType: identityType, scanner: scanner)
        var keys: [(BaselineKey.Kind, String)] = []
        if principal != nil {
            if let address = scanner.string(.sourceIPAddress), let ip = IPAddress(address) {
                keys.append((.network, ip.networkKey))
            }
            if let region = scanner.string(.awsRegion) { keys.append((.region, region)) }
            if let eventName = scanner.string(.eventName) { keys.append((.eventName, eventName)) }
            if let userAgent = scanner.string(.userAgent) { keys.append((.userAgentFamily, userAgentFamily(of: userAgent))) }
        }
        let first = FirstSeen(epoch: epoch, eventID: scanner.string(.eventID) ?? "")
        return Group(fields: fieldBytes, principal: principal, account: account, keys: keys, first: first)
    }

    /// The principal whose behaviour the baseline tracks: the role behind an
    /// assumed-role session, otherwise the identity's ARN. AWS services have none.
    static func principal(identityType: String?, scanner: FieldScanner) -> String? {
        if identityType == "AWSService" { return nil }
        if identityType == "AssumedRole", let issuer = scanner.string(.sessionIssuerARN), !issuer.isEmpty {
            return issuer
        }
        guard let arn = scanner.string(.identityARN), !arn.isEmpty else { return nil }
        return arn
    }

    private mutating func userAgentFamily(of userAgent: String) -> String {
        if let known = userAgentFamilies[userAgent] { return known }
        if userAgentFamilies.count >= 4096 { userAgentFamilies.removeAll(keepingCapacity: true) }
        let family = UserAgentFamily.family(of: userAgent)
        userAgentFamilies[userAgent] = family
        return family
    }

    /// Whether `bytes` is a valid last part of a dotted quad (0 to 255, no
    /// leading zero), so that dropping it keeps the address's validity.
    private static func isOctet(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard (1...3).contains(bytes.count), bytes.allSatisfy(ASCII.isDigit) else { return false }
        if bytes.count > 1 && bytes[0] == ASCII.zero { return false }
        return bytes.reduce(0) { $0 * 10 + Int($1 - ASCII.zero) } <= 255
    }

    /// FNV-1a, 64 bits.
    private static func hash(_ bytes: [UInt8]) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in bytes {
            hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01B3
        }
        return hash
    }
}
