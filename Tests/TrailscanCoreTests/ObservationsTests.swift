import Testing

@testable import TrailscanCore

@Suite("Observations")
struct ObservationsTests {
    @Test("texts come back as written")
    func roundTrip() throws {
        var observations = Observations()
        #expect(observations.isEmpty)
        let alice = BaselineKey(principal: "arn:aws:iam::1:user/alice", kind: .region, value: "eu-west-1")
        let empty = BaselineKey(principal: "", kind: .userAgentFamily, value: "")
        let accented = BaselineKey(principal: "arn:aws:iam::1:role/\u{00C9}quipe", kind: .eventName, value: "Get\u{0000}Object")
        observations.appendSighting(alice, FirstSeen(epoch: 10, eventID: "e-1"))
        observations.appendSighting(empty, FirstSeen(epoch: 20, eventID: ""))
        observations.appendSighting(accented, FirstSeen(epoch: 30, eventID: "e-\u{1F600}"))
        observations.appendDeniedCall(principal: "arn:aws:iam::1:user/bob", epoch: 40, eventID: "e-4")

        let sightings = observations.sightings
        #expect(sightings.count == 3)
        #expect(sightings.map { observations.string($0.principal) } == [alice.principal, "", accented.principal])
        #expect(sightings.map { observations.string($0.value) } == ["eu-west-1", "", "Get\u{0000}Object"])
        #expect(sightings.map { observations.string($0.eventID) } == ["e-1", "", "e-\u{1F600}"])
        #expect(sightings.map(\.kind) == [.region, .userAgentFamily, .eventName])
        #expect(sightings.map(\.epoch) == [10, 20, 30])
        let call = try #require(observations.deniedCalls.first)
        #expect(observations.string(call.principal) == "arn:aws:iam::1:user/bob")
        #expect(observations.string(call.eventID) == "e-4")
        #expect(call.epoch == 40)

        observations.removeAll()
        #expect(observations.isEmpty)
        #expect(observations.text.isEmpty)
    }

    @Test("dictionary keeps the earliest sighting")
    func earliestPerKey() {
        var observations = Observations()
        let key = BaselineKey(principal: "arn:aws:iam::1:user/alice", kind: .network, value: "203.0.113.0/24")
        observations.appendSighting(key, FirstSeen(epoch: 20, eventID: "e-b"))
        observations.appendSighting(key, FirstSeen(epoch: 10, eventID: "e-c"))
        observations.appendSighting(key, FirstSeen(epoch: 10, eventID: "e-a"))
        observations.appendSighting(key, FirstSeen(epoch: 30, eventID: "e-0"))
        #expect(observations.sightingsByKey == [key: FirstSeen(epoch: 10, eventID: "e-a")])
    }
}

@Suite("WrittenSightings")
struct WrittenSightingsTests {
    private func number(_ written: inout WrittenSightings, _ principal: String, _ kind: BaselineKey.Kind, _ value: String) -> Int {
        Array(principal.utf8).withUnsafeBufferPointer { principal in
            Array(value.utf8).withUnsafeBufferPointer { value in
                written.number(principal: principal, kind: kind, value: value)
            }
        }
    }

    private func hasWritten(_ written: WrittenSightings, _ number: Int, _ epoch: Int64, _ eventID: String) -> Bool {
        Array(eventID.utf8).withUnsafeBufferPointer { written.hasWritten(number, atOrBefore: epoch, eventID: $0) }
    }

    private func record(_ written: inout WrittenSightings, _ number: Int, _ epoch: Int64, _ eventID: String) {
        Array(eventID.utf8).withUnsafeBufferPointer { written.record(number, epoch: epoch, eventID: $0) }
    }

    @Test("keys differ however the bytes split")
    func keys() {
        var written = WrittenSightings()
        let first = number(&written, "ab", .region, "c")
        #expect(first == 0)
        #expect(number(&written, "a", .region, "bc") == 1)
        #expect(number(&written, "ab", .eventName, "c") == 2)
        #expect(number(&written, "ab", .region, "") == 3)
        #expect(number(&written, "ab", .region, "c") == first)
    }

    @Test("skips sightings not earlier than written")
    func ordering() {
        var written = WrittenSightings()
        let key = number(&written, "arn:aws:iam::1:user/alice", .region, "us-east-1")
        #expect(!hasWritten(written, key, 100, "e-5"))
        record(&written, key, 100, "e-5")
        #expect(hasWritten(written, key, 101, "e-0"))
        #expect(!hasWritten(written, key, 99, "e-9"))
        // Equal times compare eventIDs byte by byte; a prefix sorts first.
        #expect(hasWritten(written, key, 100, "e-5"))
        #expect(hasWritten(written, key, 100, "e-6"))
        #expect(hasWritten(written, key, 100, "e-50"))
        #expect(!hasWritten(written, key, 100, "e-4"))
        #expect(!hasWritten(written, key, 100, "e-"))
        #expect(!hasWritten(written, key, 100, ""))
        record(&written, key, 100, "")
        #expect(hasWritten(written, key, 100, ""))
        #expect(!hasWritten(written, key, 99, "z"))
    }

    @Test("full past 100,000 keys")
    func full() {
        var written = WrittenSightings()
        for index in 0..<99_999 { _ = number(&written, "p", .eventName, String(index)) }
        #expect(!written.isFull)
        _ = number(&written, "p", .eventName, "last")
        #expect(written.isFull)
    }
}
