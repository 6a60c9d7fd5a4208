/// Collects baseline observations without building strings per record.
///
/// Four tables number what a record carries:
/// - principals: the session issuer's or the identity's ARN, as raw bytes;
/// - accounts;
/// - source networks: a parsed address's /24 or /48, with the principal's number;
/// - the other values: region, eventName and user agent, as raw bytes
///   tagged with their principal and kind.
///
/// A worker keeps its tracker for the whole
/// scan, so the strings of a principal or value and its user-agent
/// classification are built once per scan. Several raw values can still
/// name one baseline key, such as the user agents of one family or the
/// addresses of one network. Each of them points at its key.
///
/// Each key remembers the earliest (eventTime, eventID) this worker has
/// seen for it, over every input so far. Each table entry also keeps the
/// earliest time seen for that entry, beside the entry itself, so a record
/// that is not earlier costs a hash, a probe and one comparison of times
/// per value, and reads no other memory. Only a record that improves a key
/// builds its eventID string. `flush(into:)` hands over the
/// keys that improved since the last flush, so a principal seen in every
/// file is written to the store when its first sighting moves earlier, not
/// once per file. That is enough for the store, which keeps the minimum of
/// what it is given: results from one worker are committed in the order the
/// worker produced them, and a failed commit ends the scan.
struct BaselineTracker {
    private var principals = ByteKeyTable()
    /// The principal string of each principal number; nil when none.
    private var principalNames: [String?] = []
    /// Accounts, with their key attached.
    private var accounts = ByteKeyTable()
    /// Networks and other values, with their key attached; -1 when a value
    /// has none (a principal without a string ARN).
    private var networks = NetworkKeyTable()
    private var values = ByteKeyTable()

    /// The keys, as parallel arrays indexed by key number.
    private var keys: [Key] = []
    /// Sized for the keys of a typical scan. A dictionary that grows hashes
    /// every key it contains again, and an empty one grows several times early on.
    private var keyNumbers = [Key: Int32](minimumCapacity: 4096)
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
        case region, eventName, userAgentFamily
    }

    /// Past this many numbered keys and values the tracker starts afresh at
    /// the next flush, bounding memory.
    private static let maximumEntries = 1 << 20

    /// Records one record's baseline keys and its account's first sighting.
    mutating func observe(_ scanner: FieldScanner, epoch: Int64) {
        recordEventID = nil
        if let account = scanner.rawBytes(.recipientAccountId) ?? scanner.rawBytes(.identityAccountId) {
            let (number, isNew) = accounts.number(of: account, tag: 0)
            if isNew { accounts.attach(keyNumber(of: .account(String(decoding: account, as: UTF8.self))), to: number) }
            if accounts.lower(number, to: epoch) { improve(accounts.attachment(of: number), epoch: epoch, scanner: scanner) }
        }
        guard let (principalBytes, source) = Self.principalBytes(scanner) else { return }
        let (principal, isNew) = principals.number(of: principalBytes, tag: source)
        if isNew { principalNames.append(Self.principal(identityType: scanner.string(.identityType), scanner: scanner)) }
        if let address = Self.sourceAddress(scanner) {
            noteNetwork(of: address, principal: principal, scanner: scanner, epoch: epoch)
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
        if principals.count + accounts.count + networks.count + values.count > Self.maximumEntries {
            self = BaselineTracker()
        }
    }

    /// Numbers (principal, network) and keeps its key's earliest sighting.
    private mutating func noteNetwork(of address: IPAddress, principal: Int, scanner: FieldScanner, epoch: Int64) {
        let (slot, isNew) = networks.slot(principal: principal, network: NetworkKeyTable.network(of: address))
        if isNew {
            var key: Int32 = -1
            if let name = principalNames[principal] {
                key = keyNumber(of: .baseline(BaselineKey(principal: name, kind: .network, value: address.networkKey)))
            }
            networks.attach(key, to: slot)
        }
        if networks.lower(slot, to: epoch) { improve(networks.attachment(of: slot), epoch: epoch, scanner: scanner) }
    }

    /// Numbers (principal, slot, value) and keeps its key's earliest sighting.
    private mutating func note(
        _ slot: Slot, principal: Int, value: UnsafeBufferPointer<UInt8>, scanner: FieldScanner, epoch: Int64
    ) {
        let (number, isNew) = values.number(of: value, tag: Int32(principal) << 2 | slot.rawValue)
        if isNew {
            var key: Int32 = -1
            if let name = principalNames[principal], let keyValue = keyValue(slot, scanner: scanner) {
                key = keyNumber(of: .baseline(BaselineKey(principal: name, kind: Self.kind(of: slot), value: keyValue)))
            }
            values.attach(key, to: number)
        }
        if values.lower(number, to: epoch) { improve(values.attachment(of: number), epoch: epoch, scanner: scanner) }
    }

    /// Returns the number of `key`, adding it when it is new.
    private mutating func keyNumber(of key: Key) -> Int32 {
        // One hash of the key's strings: the subscript with a default finds
        // the key or inserts the next number in the same probe.
        let next = Int32(keys.count)
        let number = Self.value(of: &keyNumbers[key, default: next])
        if number != next { return number }
        keys.append(key)
        firstEpochs.append(.max)
        firstEventIDs.append("")
        isPending.append(false)
        return number
    }

    private static func value(of number: inout Int32) -> Int32 { number }

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

    /// Returns the parsed source address, or nil when it is absent or not an
    /// IP address (a service name such as `ec2.amazonaws.com`, or `AWS
    /// Internal`). Raw bytes are parsed in place unless they contain escapes.
    private static func sourceAddress(_ scanner: FieldScanner) -> IPAddress? {
        guard let bytes = scanner.rawBytes(.sourceIPAddress) else { return nil }
        if scanner.core[CoreField.sourceIPAddress.rawValue].hasEscapes {
            return scanner.string(.sourceIPAddress).flatMap(IPAddress.init)
        }
        return IPAddress(bytes: bytes)
    }

    private static func kind(of slot: Slot) -> BaselineKey.Kind {
        switch slot {
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
