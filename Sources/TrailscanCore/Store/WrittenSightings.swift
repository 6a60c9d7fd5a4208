/// The earliest sighting that the store has written for each baseline key,
/// keyed by the key's bytes, so that checking a sighting from a worker
/// builds no string.
struct WrittenSightings {
    /// Keys as (principal's length, principal, value), tagged with their kind.
    private var keys = ByteKeyTable()
    private var keyBytes: [UInt8] = []
    /// Per key number: the epoch written, and the eventID's place in
    /// `eventIDs`; `Int64.max` before the first write.
    private var epochs: [Int64] = []
    private var eventIDRanges: [Range<Int>] = []
    private var eventIDs: [UInt8] = []

    /// Whether the caller should start afresh, bounding memory: past
    /// 100,000 keys or 8 MiB of eventIDs (each write appends its eventID).
    var isFull: Bool { epochs.count >= 100_000 || eventIDs.count >= 1 << 23 }

    /// Returns the number of the key (principal, kind, value), adding it
    /// when it is new.
    mutating func number(
        principal: UnsafeBufferPointer<UInt8>, kind: BaselineKey.Kind, value: UnsafeBufferPointer<UInt8>
    ) -> Int {
        keyBytes.removeAll(keepingCapacity: true)
        withUnsafeBytes(of: Int32(principal.count)) { keyBytes.append(contentsOf: $0) }
        keyBytes.append(contentsOf: principal)
        keyBytes.append(contentsOf: value)
        let tag: Int32 =
            switch kind {
            case .network: 0
            case .region: 1
            case .eventName: 2
            case .userAgentFamily: 3
            }
        let (number, isNew) = keyBytes.withUnsafeBufferPointer { keys.number(of: $0, tag: tag) }
        if isNew {
            epochs.append(.max)
            eventIDRanges.append(0..<0)
        }
        return number
    }

    /// Returns whether a sighting at (epoch, eventID), or an earlier one,
    /// was written for key `number`. EventIDs compare by their bytes, as
    /// `FirstSeen` orders them.
    func hasWritten(_ number: Int, atOrBefore epoch: Int64, eventID: UnsafeBufferPointer<UInt8>) -> Bool {
        if epochs[number] != epoch { return epochs[number] < epoch }
        return !eventID.lexicographicallyPrecedes(eventIDs[eventIDRanges[number]])
    }

    /// Records that (epoch, eventID) was written for key `number`.
    mutating func record(_ number: Int, epoch: Int64, eventID: UnsafeBufferPointer<UInt8>) {
        let start = eventIDs.count
        eventIDs.append(contentsOf: eventID)
        epochs[number] = epoch
        eventIDRanges[number] = start..<eventIDs.count
    }
}
