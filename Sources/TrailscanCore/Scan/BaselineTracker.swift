import Glibc

/// Collects baseline observations without building strings per record.
///
/// For each baseline kind (network, region, eventName, user-agent family)
/// and for accounts, the tracker keeps one table entry per distinct pair of
/// raw principal bytes and raw field bytes. A worker keeps its tracker for
/// the whole scan, so the strings of a pair, its address parse and its
/// user-agent classification are built once per scan. Several raw pairs
/// can name one baseline key (the IPv6 addresses of one /48, the user
/// agents of one family); each entry points at its key.
///
/// Each key remembers the earliest (eventTime, eventID) this worker has
/// seen for it, over every input so far. A record that is not earlier costs
/// a hash, a probe and one comparison of times; only a record that improves
/// a key builds its eventID string. `flush(into:)` hands over the keys that
/// improved since the last flush, so a principal seen in every file is
/// written to the store when its first sighting moves earlier, not once per
/// file. That is enough for the store, which keeps the minimum of what it
/// is given: results from one worker are committed in the order the worker
/// produced them, and a failed commit ends the scan.
struct BaselineTracker {
    /// The raw entries, as parallel arrays indexed by entry number.
    private var hashes: [UInt64] = []
    /// Where an entry's principal bytes start in `entryBytes`; its value
    /// bytes follow them.
    private var entryStarts: [Int] = []
    private var principalLengths: [Int32] = []
    private var valueLengths: [Int32] = []
    /// The key an entry counts towards, or -1 when it has none (an address
    /// that does not parse, a principal whose ARN is not a string).
    private var entryKeys: [Int32] = []

    /// The keys, as parallel arrays indexed by key number.
    private var keys: [Key] = []
    private var keyNumbers: [Key: Int32] = [:]
    /// The earliest sighting so far; `Int64.max` before the first.
    private var firstEpochs: [Int64] = []
    private var firstEventIDs: [String] = []
    /// Whether the key improved since the last flush.
    private var isPending: [Bool] = []
    private var pending: [Int32] = []

    private var entryBytes: [UInt8] = []
    /// Open addressing over the entries; -1 marks an empty slot.
    private var slots = [Int32](repeating: -1, count: 1024)
    private var userAgentFamilies: [String: String] = [:]

    /// What a first sighting is kept for.
    private enum Key: Hashable {
        case baseline(BaselineKey)
        case account(String)
    }

    /// The current record's eventID, built on first use.
    private var recordEventID: String?

    /// The raw bytes that decide one kind of key, or of the account.
    private enum Slot: UInt64 {
        case network = 1, region, eventName, userAgentFamily, account
    }

    /// Entries past this count are dropped at the next flush, bounding memory.
    private static let maximumEntries = 1 << 20


    /// Records one record's baseline keys and its account's first sighting.
    mutating func observe(_ scanner: FieldScanner, epoch: Int64) {
        recordEventID = nil
        let none = UnsafeBufferPointer<UInt8>(start: nil, count: 0)
        if let account = scanner.rawBytes(.recipientAccountId) ?? scanner.rawBytes(.identityAccountId) {
            note(.account, principal: none, principalHash: 0, value: account, scanner: scanner, epoch: epoch)
        }
        guard let principal = Self.principalBytes(scanner) else { return }
        let principalHash = Self.hash(principal, seed: 0x9e37_79b9_7f4a_7c15)
        if let address = scanner.rawBytes(.sourceIPAddress) {
            note(.network, principal: principal, principalHash: principalHash, value: Self.networkPart(of: address),
                 scanner: scanner, epoch: epoch)
        }
        if let region = scanner.rawBytes(.awsRegion) {
            note(.region, principal: principal, principalHash: principalHash, value: region, scanner: scanner, epoch: epoch)
        }
        if let name = scanner.rawBytes(.eventName) {
            note(.eventName, principal: principal, principalHash: principalHash, value: name, scanner: scanner, epoch: epoch)
        }
        if let agent = scanner.rawBytes(.userAgent) {
            note(.userAgentFamily, principal: principal, principalHash: principalHash, value: agent,
                 scanner: scanner, epoch: epoch)
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
        if hashes.count > Self.maximumEntries {
            self = BaselineTracker()
        }
    }

    /// Finds or creates the entry of (slot, principal, value) and keeps its
    /// key's earliest sighting.
    private mutating func note(
        _ slot: Slot, principal: UnsafeBufferPointer<UInt8>, principalHash: UInt64, value: UnsafeBufferPointer<UInt8>,
        scanner: FieldScanner, epoch: Int64
    ) {
        let hash = Self.hash(value, seed: principalHash &+ slot.rawValue &* 0xff51_afd7_ed55_8ccd)
        let mask = slots.count - 1
        var position = Int(truncatingIfNeeded: hash) & mask
        while slots[position] >= 0 {
            let index = Int(slots[position])
            if hashes[index] == hash && entry(index, equals: principal, value) {
                improve(entryKeys[index], epoch: epoch, scanner: scanner)
                return
            }
            position = (position + 1) & mask
        }

        let index = hashes.count
        addEntry(slot, hash: hash, principal: principal, value: value, scanner: scanner)
        slots[position] = Int32(index)
        if hashes.count * 2 > slots.count { rehash() }
        improve(entryKeys[index], epoch: epoch, scanner: scanner)
    }

    private func entry(_ index: Int, equals principal: UnsafeBufferPointer<UInt8>, _ value: UnsafeBufferPointer<UInt8>) -> Bool {
        let principalLength = Int(principalLengths[index])
        guard principalLength == principal.count, Int(valueLengths[index]) == value.count else { return false }
        let start = entryStarts[index]
        return entryBytes.withUnsafeBufferPointer { pool in
            let stored = pool.baseAddress! + start
            return (principal.isEmpty || memcmp(stored, principal.baseAddress!, principal.count) == 0)
                && (value.isEmpty || memcmp(stored + principalLength, value.baseAddress!, value.count) == 0)
        }
    }

    private mutating func addEntry(
        _ slot: Slot, hash: UInt64, principal: UnsafeBufferPointer<UInt8>, value: UnsafeBufferPointer<UInt8>,
        scanner: FieldScanner
    ) {
        hashes.append(hash)
        entryStarts.append(entryBytes.count)
        principalLengths.append(Int32(principal.count))
        valueLengths.append(Int32(value.count))
        entryBytes.append(contentsOf: principal)
        entryBytes.append(contentsOf: value)

        var key: Key?
        if slot == .account {
            key = .account(String(decoding: value, as: UTF8.self))
        } else if let principalString = Self.principal(identityType: scanner.string(.identityType), scanner: scanner),
                  let kind = Self.kind(of: slot), let keyValue = keyValue(slot, scanner: scanner)
        {
            key = .baseline(BaselineKey(principal: principalString, kind: kind, value: keyValue))
        }
        guard let key else {
            entryKeys.append(-1)
            return
        }
        if let number = keyNumbers[key] {
            entryKeys.append(number)
            return
        }
        let number = Int32(keys.count)
        keys.append(key)
        keyNumbers[key] = number
        firstEpochs.append(.max)
        firstEventIDs.append("")
        isPending.append(false)
        entryKeys.append(number)
    }

    private mutating func rehash() {
        slots = [Int32](repeating: -1, count: slots.count * 2)
        let mask = slots.count - 1
        for (index, hash) in hashes.enumerated() {
            var position = Int(truncatingIfNeeded: hash) & mask
            while slots[position] >= 0 { position = (position + 1) & mask }
            slots[position] = Int32(index)
        }
    }

    /// Keeps (epoch, the record's eventID) when it is earlier than the
    /// key's first sighting; does nothing for an entry without a key.
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
        case .network: scanner.string(.sourceIPAddress).flatMap(IPAddress.init)?.networkKey
        case .region: scanner.string(.awsRegion)
        case .eventName: scanner.string(.eventName)
        case .userAgentFamily: scanner.string(.userAgent).map { userAgentFamily(of: $0) }
        case .account: nil
        }
    }

    /// The raw bytes of the baseline principal: the session issuer's ARN for
    /// an assumed role, otherwise the identity's ARN; nil for AWS services
    /// and identities without an ARN.
    private static func principalBytes(_ scanner: FieldScanner) -> UnsafeBufferPointer<UInt8>? {
        let type = scanner.rawBytes(.identityType)
        if let type, ASCII.equals(type, "AWSService") { return nil }
        if let type, ASCII.equals(type, "AssumedRole"), let issuer = scanner.rawBytes(.sessionIssuerARN), !issuer.isEmpty {
            return issuer
        }
        guard let arn = scanner.rawBytes(.identityARN), !arn.isEmpty else { return nil }
        return arn
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

    /// Whether `bytes` is a valid last part of a dotted quad (0 to 255, no
    /// leading zero), so that dropping it keeps the address's validity.
    private static func isOctet(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard (1...3).contains(bytes.count), bytes.allSatisfy(ASCII.isDigit) else { return false }
        if bytes.count > 1 && bytes[0] == ASCII.zero { return false }
        return bytes.reduce(0) { $0 * 10 + Int($1 - ASCII.zero) } <= 255
    }

    private static func kind(of slot: Slot) -> BaselineKey.Kind? {
        switch slot {
        case .network: .network
        case .region: .region
        case .eventName: .eventName
        case .userAgentFamily: .userAgentFamily
        case .account: nil
        }
    }

    private mutating func userAgentFamily(of userAgent: String) -> String {
        if let known = userAgentFamilies[userAgent] { return known }
        if userAgentFamilies.count >= 4096 { userAgentFamilies.removeAll(keepingCapacity: true) }
        let family = UserAgentFamily.family(of: userAgent)
        userAgentFamilies[userAgent] = family
        return family
    }

    /// A multiply-and-shift hash that reads eight bytes a step.
    private static func hash(_ bytes: UnsafeBufferPointer<UInt8>, seed: UInt64) -> UInt64 {
        let multiplier: UInt64 = 0xbf58_476d_1ce4_e5b9
        var hash = seed ^ (UInt64(bytes.count) &* 0x94d0_49bb_1331_11eb)
        guard let base = bytes.baseAddress else { return hash }
        let raw = UnsafeRawPointer(base)
        var offset = 0
        while offset + 8 <= bytes.count {
            hash = (hash ^ raw.loadUnaligned(fromByteOffset: offset, as: UInt64.self)) &* multiplier
            hash ^= hash >> 31
            offset += 8
        }
        var tail: UInt64 = 0
        var shift: UInt64 = 0
        while offset < bytes.count {
            tail |= UInt64(base[offset]) << shift
            shift += 8
            offset += 1
        }
        hash = (hash ^ tail) &* multiplier
        return hash ^ (hash >> 29)
    }
}
