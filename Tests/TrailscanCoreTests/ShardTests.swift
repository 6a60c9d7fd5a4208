import Testing

@testable import TrailscanCore

@Suite("Shard")
struct ShardTests {
    @Test("parses K/N", arguments: [("0/1", 0, 1), ("3/4", 3, 4), ("0/16", 0, 16), ("15/16", 15, 16)])
    func parses(text: String, index: Int, count: Int) throws {
        let shard = try #require(Shard(parsing: text))
        #expect(shard.index == index)
        #expect(shard.count == count)
        #expect(shard.description == text)
    }

    @Test("rejects invalid text", arguments: ["4/4", "1/0", "0/0", "-1/2", "1/-2", "a/b", "1", "1/2/3", "/2", "1/", "", " 1/2", "١/٢"])
    func rejects(text: String) {
        #expect(Shard(parsing: text) == nil)
    }

    @Test("FNV-1a 64 test vectors", arguments: [
        ("", 0xcbf2_9ce4_8422_2325 as UInt64), ("a", 0xaf63_dc4c_8601_ec8c), ("foobar", 0x8594_4171_f739_67e8),
    ])
    func fnvVectors(text: String, hash: UInt64) {
        #expect(Shard.fnv1a64(text) == hash)
    }

    @Test("partition hash is fixed")
    func partitionHashIsFixed() {
        #expect(Shard.partitionHash("111122223333/eu-west-1/2026/11/05") == 0x612d_0167_8826_039e)
        #expect(Shard.finalizeMurmur3(0) == 0)
    }

    @Test("key of a path", arguments: [
        ("/data/AWSLogs/111122223333/CloudTrail/us-east-1/2026/11/05/f.json.gz", "111122223333/us-east-1/2026/11/05"),
        ("/mnt/b/AWSLogs/o-a1b2c3d4e5/111122223333/CloudTrail/us-east-1/2026/11/05/f.json.gz", "111122223333/us-east-1/2026/11/05"),
        ("/x/AWSLogs/111122223333/CloudTrail-Insight/us-east-1/2026/11/05/f.json.gz", "111122223333/us-east-1/2026/11/05"),
        ("/x/AWSLogs/111122223333/CloudTrail-Digest/us-east-1/2026/11/05/d.json.gz", "111122223333/us-east-1/2026/11/05"),
        ("/x/AWSLogs/111122223333/CloudTrail/us-east-1/2026/11/f.json.gz", "/x/AWSLogs/111122223333/CloudTrail/us-east-1/2026/11"),
        ("/x/AWSLogs/111122223333/Config/us-east-1/2026/11/05/f.json.gz", "/x/AWSLogs/111122223333/Config/us-east-1/2026/11/05"),
        ("/x/AWSLogs/111122223333/CloudTrail/us-east-1/2026/Nov/05/f.json.gz", "/x/AWSLogs/111122223333/CloudTrail/us-east-1/2026/Nov/05"),
        ("/var/log/events.ndjson", "/var/log"),
        ("events.ndjson", ""),
    ])
    func key(path: String, key: String) {
        #expect(Shard.key(forPath: path) == key)
    }

    @Test("key ignores the mount point")
    func keyIgnoresMountPoint() {
        let suffix = "AWSLogs/111122223333/CloudTrail/us-east-1/2026/11/05/f.json.gz"
        #expect(Shard.key(forPath: "/mnt/a/" + suffix) == Shard.key(forPath: "/srv/sync/b/" + suffix))
    }

    @Test("every path is in exactly one shard", arguments: [1, 2, 3, 4, 7])
    func exactlyOneShard(count: Int) throws {
        let shards = try (0..<count).map { try #require(Shard(index: $0, count: count)) }
        for day in 1...28 {
            let path = "/d/AWSLogs/444455556666/CloudTrail/eu-west-1/2026/02/\(day < 10 ? "0" : "")\(day)/f.json.gz"
            #expect(shards.filter { $0.contains(path: path) }.count == 1, "\(path)")
        }
    }

    @Test("files of one region-day share a shard")
    func regionDayShares() throws {
        let shard = try #require(Shard(index: 1, count: 4))
        let folder = "/d/AWSLogs/444455556666/CloudTrail/eu-west-1/2026/02/03/"
        let inShard = ["a.json.gz", "b.json.gz", "c.json"].map { shard.contains(path: folder + $0) }
        #expect(Set(inShard).count == 1)
    }
}
