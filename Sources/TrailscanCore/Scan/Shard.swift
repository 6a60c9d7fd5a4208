/// One part of a scan split across machines: shard `index` of `count`.
///
/// A file belongs to the shard `partitionHash(key) % count`, where the key names
/// the S3 prefix that CloudTrail writes one account's region-day into:
///
///     .../AWSLogs/[o-ORG/]ACCOUNT/CloudTrail[-Insight|-Digest]/REGION/YYYY/MM/DD/FILE
///
/// gives the key `ACCOUNT/REGION/YYYY/MM/DD`. The organization ID, the
/// CloudTrail folder name and everything before `AWSLogs` are left out, so
/// logs, Insights events and digests of one region-day go to the same shard
/// whatever folder the tree was synced or mounted into. A path without that
/// layout uses its parent folder (the whole absolute path) as the key.
///
/// Example: `/data/AWSLogs/o-a1b2c3/111122223333/CloudTrail/eu-west-1/2026/11/05/x.json.gz`
/// has the key `111122223333/eu-west-1/2026/11/05`; with 4 shards it belongs
/// to shard `partitionHash("111122223333/eu-west-1/2026/11/05") % 4`, which is 2.
///
/// The hash is FNV-1a 64 followed by the 64-bit finalizer of MurmurHash3.
/// Both are fixed by their published definitions, unlike Swift's `Hasher`,
/// which is seeded per process, so every machine computes the same
/// partition. The finalizer is needed because the low k bits of FNV-1a
/// depend only on the low k bits of each byte (xor and multiplication modulo
/// 2^k), so FNV-1a modulo 2, 4 or 8 shards would ignore most of the key.
public struct Shard: Sendable, Equatable, CustomStringConvertible {
    /// The shard to read, from 0 to `count - 1`.
    public let index: Int
    /// How many shards the inputs are split into, at least 1.
    public let count: Int

    /// Creates a shard, or returns nil unless 0 ≤ `index` < `count`.
    public init?(index: Int, count: Int) {
        guard count >= 1, index >= 0, index < count else { return nil }
        self.index = index
        self.count = count
    }

    /// Parses `K/N`, such as `0/4`; returns nil for any other text or when K ≥ N.
    public init?(parsing text: String) {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2,
              parts.allSatisfy({ !$0.isEmpty && $0.allSatisfy(\.isASCII) && $0.allSatisfy(\.isNumber) }),
              let index = Int(parts[0]), let count = Int(parts[1])
        else { return nil }
        self.init(index: index, count: count)
    }

    public var description: String { "\(index)/\(count)" }

    /// Whether the file at `path` belongs to this shard.
    public func contains(path: String) -> Bool {
        Int(Self.partitionHash(Self.key(forPath: path)) % UInt64(count)) == index
    }

    /// Returns the partition key of `path`: `ACCOUNT/REGION/YYYY/MM/DD` for
    /// the CloudTrail S3 layout, else the parent folder.
    public static func key(forPath path: String) -> String {
        let components = path.split(separator: "/", omittingEmptySubsequences: true).map(String.init)
        if let key = cloudTrailKey(components) { return key }
        guard let slash = path.lastIndex(of: "/") else { return "" }
        return String(path[..<slash])
    }

    /// `ACCOUNT/REGION/YYYY/MM/DD` when the folders after the last `AWSLogs`
    /// follow the CloudTrail layout and a file name follows the day.
    private static func cloudTrailKey(_ components: [String]) -> String? {
        guard let root = components.lastIndex(of: "AWSLogs") else { return nil }
        var position = root + 1
        if position < components.count, components[position].hasPrefix("o-") { position += 1 }
        // ACCOUNT, CloudTrail*, REGION, YYYY, MM, DD, then at least a file name.
        guard components.count - position >= 7 else { return nil }
        let account = components[position]
        let folder = components[position + 1]
        let region = components[position + 2]
        let date = Array(components[(position + 3)...(position + 5)])
        guard folder.hasPrefix("CloudTrail"),
              zip(date, [4, 2, 2]).allSatisfy({ part, length in part.utf8.count == length && part.allSatisfy(\.isASCII) && part.allSatisfy(\.isNumber) })
        else { return nil }
        return ([account, region] + date).joined(separator: "/")
    }

    /// Hashes a partition key: `fnv1a64`, then mixed by `finalizeMurmur3`.
    public static func partitionHash(_ key: String) -> UInt64 {
        finalizeMurmur3(fnv1a64(key))
    }

    /// MurmurHash3's `fmix64`: every input bit affects every output bit.
    public static func finalizeMurmur3(_ value: UInt64) -> UInt64 {
        var hash = value
        hash ^= hash >> 33
        hash = hash &* 0xff51_afd7_ed55_8ccd
        hash ^= hash >> 33
        hash = hash &* 0xc4ce_b3fe_1a85_ec53
        hash ^= hash >> 33
        return hash
    }

    /// Computes the 64-bit FNV-1a hash of the UTF-8 bytes of `text`.
    public static func fnv1a64(_ text: String) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01b3
        }
        return hash
    }
}
