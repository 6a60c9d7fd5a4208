/// The baseline sightings and access-denied calls of one input, on their
/// way from a worker to the writer.
///
/// Their texts share one byte buffer, so building them, handing them over
/// and releasing them costs a few array appends, not a string and a
/// dictionary entry for each row. The writer binds the bytes to SQLite in
/// place (`TrailStore.write`).
struct Observations: Sendable {
    /// A range of `text`.
    struct Text: Sendable {
        var start: Int
        var count: Int
    }

    /// The earliest sighting of a baseline key that a worker has seen.
    struct Sighting: Sendable {
        var principal: Text
        var kind: BaselineKey.Kind
        var value: Text
        var epoch: Int64
        var eventID: Text
    }

    /// A call refused with an access-denied error, by a principal.
    struct DeniedCall: Sendable {
        var principal: Text
        var epoch: Int64
        var eventID: Text
    }

    private(set) var text: [UInt8] = []
    private(set) var sightings: [Sighting] = []
    private(set) var deniedCalls: [DeniedCall] = []

    var isEmpty: Bool { sightings.isEmpty && deniedCalls.isEmpty }

    mutating func appendSighting(_ key: BaselineKey, _ first: FirstSeen) {
        sightings.append(
            Sighting(principal: store(key.principal), kind: key.kind, value: store(key.value), epoch: first.epoch,
                     eventID: store(first.eventID)))
    }

    mutating func appendDeniedCall(principal: String, epoch: Int64, eventID: String) {
        deniedCalls.append(DeniedCall(principal: store(principal), epoch: epoch, eventID: store(eventID)))
    }

    /// Removes every row and keeps the buffers' capacity.
    mutating func removeAll() {
        text.removeAll(keepingCapacity: true)
        sightings.removeAll(keepingCapacity: true)
        deniedCalls.removeAll(keepingCapacity: true)
    }

    /// Returns the string in `range`.
    func string(_ range: Text) -> String {
        String(decoding: text[range.start..<(range.start + range.count)], as: UTF8.self)
    }

    /// The sightings as a dictionary with the earliest sighting per key, for tests.
    var sightingsByKey: [BaselineKey: FirstSeen] {
        var result: [BaselineKey: FirstSeen] = [:]
        for sighting in sightings {
            let key = BaselineKey(principal: string(sighting.principal), kind: sighting.kind, value: string(sighting.value))
            let first = FirstSeen(epoch: sighting.epoch, eventID: string(sighting.eventID))
            if let known = result[key], known <= first { continue }
            result[key] = first
        }
        return result
    }

    private mutating func store(_ string: String) -> Text {
        let start = text.count
        text.append(contentsOf: string.utf8)
        return Text(start: start, count: text.count - start)
    }
}

extension UnsafeBufferPointer<UInt8> {
    /// Returns the bytes of `range` in this buffer, which contains `Observations.text`.
    subscript(range: Observations.Text) -> UnsafeBufferPointer<UInt8> {
        UnsafeBufferPointer(rebasing: self[range.start..<(range.start + range.count)])
    }
}
