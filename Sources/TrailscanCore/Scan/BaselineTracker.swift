/// Collects baseline observations without building strings per record.
///
/// Three tables number the raw bytes a record carries: principals (the
/// session issuer's or the identity's ARN), accounts, and values (network,
/// region, eventName, user agent) tagged with their principal and kind. A
/// worker keeps its tracker for the whole scan, so the strings of a
/// principal or value, its address parse and its user-agent classification
/// are built once per scan. An address with colons is parsed on every
/// record and numbered by its network, so the addresses of one /48 share an
/// entry. Several raw values can still name one baseline key, such as the
/// user agents of one family or an IPv4 address also written as
/// `::ffff:a.b.c.d`. Each of them points at its key.
///
/// Each key remembers the earliest (eventTime, eventID) this worker has
/// seen for it, over every input so far. A record that is not earlier costs
/// a hash, a probe and one comparison of times per key; only a record that
/// improves a key builds its eventID string. `flush(into:)` hands over the
/// keys that improved since the last flush, so a principal seen in every
/// file is written to the store when its first sighting moves earlier, not
/// once per file. That is enough for the store, which keeps the minimum of
/// what it is given: results from one worker are committed in the order the
/// worker produced them, and a failed commit ends the scan.
struct BaselineTracker {
    private var principals = ByteKeyTable()
    /// The principal string of each principal number; nil when none.
    private var principalNames: [String?] = []
    private var accounts = ByteKeyTable()
    private var accountKeys: [Int32] = []
    private var values = ByteKeyTable()
    /// The key of each value number; -1 when it has none (an address that
    /// does not parse, a principal without a string ARN).
    private var valueKeys: [Int32] = []

    /// The keys, as parallel arrays indexed by key number.
    private var keys: [Key] = []
    private var keyNumbers: [Key: Int32] = [:]
    /// The earliest sighting so far; `Int64.max` before the first.
    private var firstEpochs: [Int64] = []
    private var firstEventIDs: [String] = []
    /// Whether the key improved since the last flush.
    private var isPending: [Bool] = []
    private var pending: [Int32] = []

    private var userAgentFamilies: [String: String] = [:]

    /// The subject of a first sighting: a baseline key or an account.
    private enum Key: Hashable {
        case baseline(BaselineKey)
        case account(String)
    }

    /// The current record's eventID, built on first use.
    private var recordEventID: String?

    /// The kind of a value, part of its tag in `values`.
    private enum Slot: Int32 {
        case network, region, eventName, userAgentFamily
        /// A network given by the 16 bytes of a parsed IPv6 address's
        /// network, so that the addresses of one /48 share an entry.
        case parsedNetwork
    }

    /// Past this many numbered byte strings the tracker starts afresh at
    /// the next flush, bounding memory.
    private static let maximumEntries = 1 << 20

    /// Records one record's baseline keys and its account's first sighting.
    mutating func observe(_ scanner: FieldScanner, epoch: Int64) {
        recordEventID = nil
        if let account = scanner.rawBytes(.recipientAccountId) ?? scanner.rawBytes(.identityAccountId) {
            let (number, isNew) = accounts.number(of: account, tag: 0)
            if isNew { accountKeys.append(keyNumber(of: .account(String(decoding: account, as: UTF8.self)))) }
            improve(accountKeys[number], epoch: epoch, scanner: scanner)
        }
        guard let (principalBytes, source) = Self.principalBytes(scanner) else { return }
        let (principal, isNew) = principals.number(of: principalBytes, tag: source)
        if isNew { principalNames.append(Self.principal(identityType: scanner.string(.identityType), scanner: scanner)) }
        if let address = scanner.rawBytes(.sourceIPAddress) {
            if address.contains(ASCII.colon), let network = Self.parsedNetwork(of: address) {
                withUnsafeBytes(of: network) { bytes in
                    note(.parsedNetwork, principal: principal, value: bytes.bindMemory(to: UInt8.self),
                         scanner: scanner, epoch: epoch)
                }
            } else {
                note(.network, principal: principal, value: Self.networkPart(of: address), scanner: scanner, epoch: epoch)
            }
        }
        if let region = scanner.rawBytes(.awsRegion) {
            note(.region, principal: principal, value: region, scanner: scanner, epoch: epoch)
        }
        if let name = scanner.rawBytes(.eventName) {
            note(.eventName, principal: principal, value: name, scanner: scanner, epoch: epoch)
        }
        if let agent = scanner.rawBytes(.userAgent) {
            note(.userAgentFamily, principal: principal, value: agent, scanner: scanner, epoch: epoch)
        }
    }

    /// Adds the sightings that improved since the last flush to `result`.
    mutating func flush(into result: inout InputResult) {
        for key in pending.map(Int.init) {
            isPending[key] = false
            let first = FirstSeen(epoch: firstEpochs[key], eventID: firstEventIDs[key])
            switch keys[key] {
            case .baseline(let baselineKey): result.observe(baselineKey, first)
            case .account(let account): result.observeAccount(account, epoch: first.epoch)
            }
        }
        pending.removeAll(keepingCapacity: true)
        if principals.count + accounts.count + values.count > Self.maximumEntries {
            self = BaselineTracker()
        }
    }

    /// Numbers (principal, slot, value) and keeps its key's earliest sighting.
    private mutating func note(
        _ slot: Slot, principal: Int, value: UnsafeBufferPointer<UInt8>, scanner: FieldScanner, epoch: Int64
    ) {
        let (number, isNew) = values.number(of: value, tag: Int32(principal) << 3 | slot.rawValue)
        if isNew {
            var key: Int32 = -1
            if let name = principalNames[principal], let keyValue = keyValue(slot, scanner: scanner) {
                key = keyNumber(of: .baseline(BaselineKey(principal: name, kind: Self.kind(of: slot), value: keyValue)))
            }
            valueKeys.append(key)
        }
        improve(valueKeys[number], epoch: epoch, scanner: scanner)
    }

    /// Returns the number of `key`, adding it when it is new.
    private mutating func keyNumber(of key: Key) -> Int32 {
        if let number = keyNumbers[key] { return number }
        let number = Int32(keys.count)
        keys.append(key)
        keyNumbers[key] = number
        firstEpochs.append(.max)
        firstEventIDs.append("")
        isPending.append(false)
        return number
    }

    /// Keeps (epoch, the record's eventID) when it is earlier than the
    /// key's first sighting; does nothing for a value without a key.
    private mutating func improve(_ key: Int32, epoch: Int64, scanner: FieldScanner) {
        guard key >= 0 else { return }
        let key = Int(key)
        if epoch > firstEpochs[key] { return }
        let eventID = recordEventID ?? (scanner.string(.eventID) ?? "")
        recordEventID = eventID
        if epoch == firstEpochs[key] && !FirstSeen.precedes(eventID, firstEventIDs[key]) { return }
        firstEpochs[key] = epoch
        firstEventIDs[key] = eventID
        if !isPending[key] {
            isPending[key] = true
            pending.append(Int32(key))
        }
    }

    /// The baseline value of a new entry, from the record that created it.
    private mutating func keyValue(_ slot: Slot, scanner: FieldScanner) -> String? {
        switch slot {
        case .network, .parsedNetwork: scanner.string(.sourceIPAddress).flatMap(IPAddress.init)?.networkKey
        case .region: scanner.string(.awsRegion)
        case .eventName: scanner.string(.eventName)
        case .userAgentFamily: scanner.string(.userAgent).map { userAgentFamily(of: $0) }
        }
    }

    /// Returns the raw bytes of the baseline principal, tagged 1 for the
    /// session issuer's ARN (an assumed role) and 2 for the identity's ARN.
    /// Returns nil for AWS services and identities without an ARN.
    private static func principalBytes(_ scanner: FieldScanner) -> (UnsafeBufferPointer<UInt8>, Int32)? {
        let type = scanner.rawBytes(.identityType)
        if let type, ASCII.equals(type, "AWSService") { return nil }
        if let type, ASCII.equals(type, "AssumedRole"), let issuer = scanner.rawBytes(.sessionIssuerARN), !issuer.isEmpty {
            return (issuer, 1)
        }
        guard let arn = scanner.rawBytes(.identityARN), !arn.isEmpty else { return nil }
        return (arn, 2)
    }

    /// The principal whose behaviour the baseline tracks, as a string.
    static func principal(identityType: String?, scanner: FieldScanner) -> String? {
        if identityType == "AWSService" { return nil }
        if identityType == "AssumedRole", let issuer = scanner.string(.sessionIssuerARN), !issuer.isEmpty {
            return issuer
        }
        guard let arn = scanner.string(.identityARN), !arn.isEmpty else { return nil }
        return arn
    }

    /// The part of a source address that decides its network key: an IPv4
    /// address without its valid last octet, otherwise the whole value.
    private static func networkPart(of bytes: UnsafeBufferPointer<UInt8>) -> UnsafeBufferPointer<UInt8> {
        guard !bytes.contains(ASCII.colon), let lastDot = bytes.lastIndex(of: ASCII.dot),
              isOctet(UnsafeBufferPointer(rebasing: bytes[(lastDot + 1)...]))
        else { return bytes }
        return UnsafeBufferPointer(rebasing: bytes[..<lastDot])
    }

    /// Returns the network part (the /48, or the /24 of an IPv4-mapped
    /// address) of an address written with colons, or nil when it does not parse.
    private static func parsedNetwork(of bytes: UnsafeBufferPointer<UInt8>) -> UInt128? {
        guard bytes.count <= 45, let value = IPAddress.parseIPv6(bytes) else { return nil }
        let address = IPAddress(value: value)
        return address.isIPv4 ? value & ~0xff : value & ~(UInt128(1) << 80 - 1)
    }

    /// Whether `bytes` is a valid last part of a dotted quad (0 to 255, no
    /// leading zero), so that dropping it keeps the address's validity.
    private static func isOctet(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard (1...3).contains(bytes.count), bytes.allSatisfy(ASCII.isDigit) else { return false }
        if bytes.count > 1 && bytes[0] == ASCII.zero { return false }
        return bytes.reduce(0) { $0 * 10 + Int($1 - ASCII.zero) } <= 255
    }

    private static func kind(of slot: Slot) -> BaselineKey.Kind {
        switch slot {
        case .network, .parsedNetwork: .network
        case .region: .region
        case .eventName: .eventName
        case .userAgentFamily: .userAgentFamily
        }
    }

    private mutating func userAgentFamily(of userAgent: String) -> String {
        if let known = userAgentFamilies[userAgent] { return known }
        if userAgentFamilies.count >= 4096 { userAgentFamilies.removeAll(keepingCapacity: true) }
        let family = UserAgentFamily.family(of: userAgent)
        userAgentFamilies[userAgent] = family
        return family
    }
}
