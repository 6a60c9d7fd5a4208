import EventPatterns
import Testing

@testable import TrailscanCore

@Suite("FieldTrie")
struct FieldTrieTests {
    private func child(_ trie: FieldTrie, of node: Int32, _ key: String) -> Int32 {
        Array(key.utf8).withUnsafeBufferPointer { trie.child(of: node, key: $0) }
    }

    @Test("keys that share their first six bytes or their length stay apart")
    func lookUp() {
        let trie = FieldTrie(matcherPaths: [
            FieldPath(["detail", "eventTypeX"]), FieldPath(["detail", "event"]), FieldPath(["detail", "events"]),
        ])
        let record = trie.recordRoot
        // eventTime and eventType are core fields: nine bytes, the first six equal.
        let time = child(trie, of: record, "eventTime")
        let type = child(trie, of: record, "eventType")
        #expect(time >= 0)
        #expect(type >= 0)
        #expect(time != type)
        #expect(trie.coreFields[Int(time)] == .eventTime)
        #expect(trie.coreFields[Int(type)] == .eventType)

        let longer = child(trie, of: record, "eventTypeX")
        let short = child(trie, of: record, "event")
        let plural = child(trie, of: record, "events")
        #expect(trie.matcherPathIDs[Int(longer)] == 0)
        #expect(trie.matcherPathIDs[Int(short)] == 1)
        #expect(trie.matcherPathIDs[Int(plural)] == 2)

        #expect(child(trie, of: record, "eventTimf") == -1)
        #expect(child(trie, of: record, "even") == -1)
        #expect(child(trie, of: record, "") == -1)
        #expect(child(trie, of: record, "eventTypeXY") == -1)
    }

    @Test("many children found through the hash table")
    func lookUpInTable() {
        // Twenty keys of eight bytes that share their first six: one signature.
        let twins = (10..<30).map { "abcdef\($0)" }
        let others = ["a", "b", "region", "sourceIPAddress", "responseElements"]
        let paths = (twins + others).map { FieldPath(["detail", "many", $0]) } + [FieldPath(["detail", "few", "x"])]
        let trie = FieldTrie(matcherPaths: paths)
        let many = child(trie, of: trie.recordRoot, "many")
        for (pathID, key) in (twins + others).enumerated() {
            let found = child(trie, of: many, key)
            #expect(found >= 0, "key \(key)")
            #expect(found < 0 || trie.matcherPathIDs[Int(found)] == Int32(pathID), "key \(key)")
        }
        for missing in ["abcdef30", "abcdef1", "abcdef100", "c", "regions", "", "x"] {
            #expect(child(trie, of: many, missing) == -1, "key \(missing)")
        }
        let few = child(trie, of: trie.recordRoot, "few")
        #expect(trie.matcherPathIDs[Int(child(trie, of: few, "x"))] == Int32(paths.count - 1))
        #expect(child(trie, of: few, "y") == -1)
    }
}
