import Glibc

/// Collects baseline observations without building strings per record.
///
/// For each baseline kind (network, region, eventName, user-agent family)
/// and for accounts, the tracker keeps one table entry per distinct pair of
/// raw principal bytes and raw field bytes. A worker keeps its tracker for
/// the whole scan, so the strings of a pair, its address parse and its
/// user-agent classification are built once per scan. Per record it hashes
/// the bytes, probes an open-addressing table and keeps the earliest
/// (eventTime, eventID) of the current input for that entry;
/// `flush(into:)` hands the current input's observations to its result.
struct BaselineTracker {
    /// The entries, as parallel arrays: the per-record path reads only the
    /// hashes, byte ranges and first occurrences, never the strings.
    private var hashes: [UInt64] = []
    private var byteRanges: [Range<Int>] = []
    /// The earliest occurrence in the current input, nil when the current
    /// input has not touched the entry.
    private var firsts: [FirstSeen?] = []
    private var keys: [BaselineKey?] = []
    private var accounts: [String?] = []

    /// The raw bytes that decide one kind of key, or of the account.
    private enum Slot: Int, CaseIterable {
        case network, region, eventName, userAgentFamily, account
    }

    /// Entries past this count are dropped at the next flush, bounding memory.
    private static let maximumEntries = 1 << 20

    private var entryBytes: [UInt8] = []
    /// Open addressing over `entries`; -1 marks an empty slot.
    private var slots = [Int32](repeating: -1, count: 1024)
    private var touched: [Int32] = []
    private var keyBytes: [UInt8] = []
    private var userAgentFamilies: [String: String] = [:]

    private static let assumedRole = Array("AssumedRole".utf8)
    private static let awsService = Array("AWSService".utf8)

    /// Records one record's baseline keys; returns the principal, for
    /// callers that need it (error bursts), or nil for records without one.
    mutating func observe(_ scanner: FieldScanner, epoch: Int64) -> String? {
        if let account = scanner.rawBytes(.recipientAccountId) ?? scanner.rawBytes(.identityAccountId) {
            note(.account, principal: nil, value: account, scanner: scanner, epoch: epoch)
        }
        guard let principal = Self.principalBytes(scanner) else { return nil }

        var principalString: String?
        for slot in [Slot.network, .region, .eventName, .userAgentFamily] {
            guard var value = scanner.rawBytes(Self.field(of: slot)) else { continue }
            if slot == .network { value = Self.networkPart(of: value) }
            let entry = note(slot, principal: principal, value: value, scanner: scanner, epoch: epoch)
            if principalString == nil { principalString = keys[entry]?.principal }
        }
        return principalString ?? Self.principal(identityType: scanner.string(.identityType), scanner: scanner)
    }

    /// Adds the current input's observations to `result`.
    mutating func flush(into result: inout InputResult) {
        for index in touched.map(Int.init) {
            guard let first = firsts[index] else { continue }
            if let account = accounts[index] { result.observeAccount(account, epoch: first.epoch) }
            if let key = keys[index] { result.observe(key, first) }
            firsts[index] = nil
        }
        touched.removeAll(keepingCapacity: true)
        if hashes.count > Self.maximumEntries {
            hashes.removeAll()
            byteRanges.removeAll()
            firsts.removeAll()
            keys.removeAll()
            accounts.removeAll()
            entryBytes.removeAll()
            slots = [Int32](repeating: -1, count: 1024)
        }
    }

    /// Finds or creates the entry of (slot, principal, value) and keeps the
    /// current input's earliest (eventTime, eventID); returns the entry's index.
    @discardableResult
    private mutating func note(
        _ slot: Slot, principal: UnsafeBufferPointer<UInt8>?, value: UnsafeBufferPointer<UInt8>,
        scanner: FieldScanner, epoch: Int64
    ) -> Int {
        keyBytes.removeAll(keepingCapacity: true)
        keyBytes.append(UInt8(slot.rawValue))
        if let principal {
            keyBytes.append(contentsOf: principal)
            keyBytes.append(0)
        }
        keyBytes.append(contentsOf: value)
        let hash = Self.hash(keyBytes)

        let mask = slots.count - 1
        var position = Int(truncatingIfNeeded: hash) & mask
        while slots[position] >= 0 {
            let index = Int(slots[position])
            if hashes[index] == hash && hasBytes(index) {
                updateFirst(of: index, scanner: scanner, epoch: epoch)
                return index
            }
            position = (position + 1) & mask
        }

        let index = hashes.count
        addEntry(slot, hash: hash, value: value, scanner: scanner)
        slots[position] = Int32(index)
        if hashes.count * 2 > slots.count { rehash() }
        updateFirst(of: index, scanner: scanner, epoch: epoch)
        return index
    }

    private func hasBytes(_ index: Int) -> Bool {
        let range = byteRanges[index]
        guard range.count == keyBytes.count else { return false }
        return entryBytes.withUnsafeBufferPointer { pool in
            keyBytes.withUnsafeBufferPointer { key in
                memcmp(pool.baseAddress! + range.lowerBound, key.baseAddress!, key.count) == 0
            }
        }
    }

    private mutating func addEntry(_ slot: Slot, hash: UInt64, value: UnsafeBufferPointer<UInt8>, scanner: FieldScanner) {
        hashes.append(hash)
        byteRanges.append(entryBytes.count..<(entryBytes.count + keyBytes.count))
        entryBytes.append(contentsOf: keyBytes)
        firsts.append(nil)
        if slot == .account {
            accounts.append(String(decoding: value, as: UTF8.self))
            keys.append(nil)
            return
        }
        accounts.append(nil)
        if let principalString = Self.principal(identityType: scanner.string(.identityType), scanner: scanner),
           let keyValue = keyValue(slot, scanner: scanner)
        {
            keys.append(BaselineKey(principal: principalString, kind: Self.kind(of: slot), value: keyValue))
        } else {
            keys.append(nil)
        }
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

    private mutating func updateFirst(of index: Int, scanner: FieldScanner, epoch: Int64) {
        guard let current = firsts[index] else {
            firsts[index] = FirstSeen(epoch: epoch, eventID: scanner.string(.eventID) ?? "")
            touched.append(Int32(index))
            return
        }
        if epoch > current.epoch { return }
        let eventID = scanner.string(.eventID) ?? ""
        if epoch < current.epoch || eventID < current.eventID {
            firsts[index] = FirstSeen(epoch: epoch, eventID: eventID)
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
        if let type, type.elementsEqual(awsService) { return nil }
        if let type, type.elementsEqual(assumedRole), let issuer = scanner.rawBytes(.sessionIssuerARN), !issuer.isEmpty {
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

    private static func field(of slot: Slot) -> CoreField {
        switch slot {
        case .network: .sourceIPAddress
        case .region: .awsRegion
        case .eventName: .eventName
        case .userAgentFamily: .userAgent
        case .account: .recipientAccountId
        }
    }

    private static func kind(of slot: Slot) -> BaselineKey.Kind {
        switch slot {
        case .network: .network
        case .region: .region
        case .eventName: .eventName
        case .userAgentFamily, .account: .userAgentFamily
        }
    }

    private mutating func userAgentFamily(of userAgent: String) -> String {
        if let known = userAgentFamilies[userAgent] { return known }
        if userAgentFamilies.count >= 4096 { userAgentFamilies.removeAll(keepingCapacity: true) }
        let family = UserAgentFamily.family(of: userAgent)
        userAgentFamilies[userAgent] = family
        return family
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
