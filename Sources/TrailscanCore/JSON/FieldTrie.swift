import EventPatterns

/// The field paths that the field scanner extracts, as a trie of object keys.
///
/// One trie serves both shapes of input. Its root is the EventBridge
/// envelope; the root's `detail` child is the root of a CloudTrail record.
/// A bare record is scanned from that `detail` node, so the record field
/// `eventName` lands on the matcher path `detail.eventName` whether the
/// record arrived bare or inside an envelope.
///
/// Each node carries the matcher path ID of the path that ends there (if a
/// pattern reads it) and the core field that ends there (if the pipeline
/// reads it). For the patterns `{"detail": {"eventName": [...]}}` and
/// `{"source": [...]}` the trie is:
///
///     (envelope) ─ source [matcher 1]
///                └ detail (record) ─ eventName [matcher 0, core eventName]
///                                  ├ eventTime [core eventTime]
///                                  └ userIdentity ─ type [core identityType]
struct FieldTrie: Sendable {
    struct Node: Sendable {
        var key: [UInt8]
        var children: [Int32] = []
        var matcherPathID: Int32 = -1
        var coreField: CoreField?
    }

    private(set) var nodes: [Node]
    let envelopeRoot: Int32 = 0
    let recordRoot: Int32 = 1
    /// The matcher path ID of each envelope field, or -1 when no pattern reads it.
    private(set) var envelopePathIDs: [Int32]

    /// Flat copies of `nodes` for the scanner's per-member lookups, which
    /// then touch no array that needs retaining. A node's children are the
    /// entries `childStarts[node]..<childStarts[node + 1]` of `childIDs`,
    /// and a child's key is `keyPool[keyStarts[child]..<keyStarts[child + 1]]`.
    private var childStarts: [Int32] = []
    private var childIDs: [Int32] = []
    /// Per entry of `childIDs`: the child key's `signature`, compared first.
    private var childSignatures: [UInt64] = []
    private var keyStarts: [Int32] = []
    private var keyPool: [UInt8] = []
    /// Hash tables for nodes with many children (a record's root has
    /// dozens), probed by key signature. Per node: the table's start in
    /// `tableSlots` (-1 when the node searches its children in order) and
    /// its size minus one. A slot carries what a lookup compares, so a
    /// probe reads one slot and, for a key longer than six bytes, the pool.
    private var tables: [(start: Int32, mask: Int32)] = []
    private var tableSlots: [TableSlot] = []

    private struct TableSlot {
        var signature: UInt64 = 0
        /// The child node, or -1 for an empty slot.
        var child: Int32 = -1
        var keyStart: Int32 = 0
        var keyLength: Int32 = 0
    }
    /// Nodes with at least this many children get a table.
    private static let tableThreshold = 8
    /// Per node: the matcher path ID (-1 for none) and the core field.
    private(set) var matcherPathIDs: [Int32] = []
    private(set) var coreFields: [CoreField?] = []

    init(matcherPaths: [FieldPath]) {
        nodes = [Node(key: []), Node(key: Array("detail".utf8))]
        nodes[0].children = [1]
        envelopePathIDs = Array(repeating: -1, count: EnvelopeField.allCases.count)

        for (pathID, path) in matcherPaths.enumerated() {
            let node = insert(path.components, from: envelopeRoot)
            nodes[Int(node)].matcherPathID = Int32(pathID)
            if path.components.count == 1, let field = EnvelopeField.allCases.first(where: { $0.key == path.components[0] }) {
                envelopePathIDs[field.rawValue] = Int32(pathID)
            }
        }
        for field in CoreField.allCases {
            let node = insert(field.path, from: recordRoot)
            nodes[Int(node)].coreField = field
        }
        for node in nodes {
            childStarts.append(Int32(childIDs.count))
            childIDs.append(contentsOf: node.children)
            for child in node.children {
                childSignatures.append(nodes[Int(child)].key.withUnsafeBufferPointer(Self.signature))
            }
            keyStarts.append(Int32(keyPool.count))
            keyPool.append(contentsOf: node.key)
            matcherPathIDs.append(node.matcherPathID)
            coreFields.append(node.coreField)
        }
        childStarts.append(Int32(childIDs.count))
        keyStarts.append(Int32(keyPool.count))
        for node in nodes.indices {
            buildTable(for: node)
        }
    }

    private mutating func buildTable(for node: Int) {
        let entries = Int(childStarts[node])..<Int(childStarts[node + 1])
        guard entries.count >= Self.tableThreshold else {
            tables.append((start: -1, mask: 0))
            return
        }
        var size = 16
        while size < entries.count * 2 { size *= 2 }
        let start = tableSlots.count
        tableSlots.append(contentsOf: repeatElement(TableSlot(), count: size))
        for entry in entries {
            var slot = Self.slot(of: childSignatures[entry], mask: size - 1)
            while tableSlots[start + slot].child >= 0 { slot = (slot + 1) & (size - 1) }
            let child = Int(childIDs[entry])
            tableSlots[start + slot] = TableSlot(
                signature: childSignatures[entry], child: Int32(child), keyStart: keyStarts[child],
                keyLength: keyStarts[child + 1] - keyStarts[child])
        }
        tables.append((start: Int32(start), mask: Int32(size - 1)))
    }

    @inline(__always)
    private static func slot(of signature: UInt64, mask: Int) -> Int {
        Int(truncatingIfNeeded: (signature &* 0x9e37_79b9_7f4a_7c15) >> 40) & mask
    }

    /// Returns whether `node` has children, that is, whether an object there is scanned.
    @inline(__always)
    func hasChildren(_ node: Int32) -> Bool {
        childStarts[Int(node)] < childStarts[Int(node) + 1]
    }

    /// The child of `node` whose key equals `key`, or -1.
    @inline(__always)
    func child(of node: Int32, key: UnsafeBufferPointer<UInt8>) -> Int32 {
        let signature = Self.signature(key)
        let table = tables[Int(node)]
        if table.start >= 0 {
            return hashedChild(tableStart: Int(table.start), mask: Int(table.mask), signature: signature, key: key)
        }
        return childSignatures.withUnsafeBufferPointer { signatures in
            for position in Int(childStarts[Int(node)])..<Int(childStarts[Int(node) + 1])
            where signatures[position] == signature {
                let child = Int(childIDs[position])
                guard Int(keyStarts[child + 1] - keyStarts[child]) == key.count else { continue }
                if key.count <= 6 || restMatches(keyStart: Int(keyStarts[child]), key: key) { return Int32(child) }
            }
            return -1
        }
    }

    @inline(__always)
    private func hashedChild(tableStart: Int, mask: Int, signature: UInt64, key: UnsafeBufferPointer<UInt8>) -> Int32 {
        tableSlots.withUnsafeBufferPointer { slots in
            var slot = Self.slot(of: signature, mask: mask)
            while true {
                let entry = slots[tableStart + slot]
                if entry.child < 0 { return -1 }
                if entry.signature == signature && Int(entry.keyLength) == key.count
                    && (key.count <= 6 || restMatches(keyStart: Int(entry.keyStart), key: key))
                {
                    return entry.child
                }
                slot = (slot + 1) & mask
            }
        }
    }

    /// Returns whether the bytes after the sixth of the key at `keyStart` in
    /// the pool equal those of `key`, whose length and first six bytes
    /// already match.
    @inline(__always)
    private func restMatches(keyStart: Int, key: UnsafeBufferPointer<UInt8>) -> Bool {
        keyPool.withUnsafeBufferPointer { pool in
            ByteStrings.equal(pool.baseAddress! + keyStart + 6, key.baseAddress! + 6, count: key.count - 6)
        }
    }

    /// Returns a key's signature: its length (modulo 2^16) in the top 16
    /// bits and its first six bytes below. Keys of equal length and
    /// signature up to six bytes long are equal.
    @inline(__always)
    private static func signature(_ key: UnsafeBufferPointer<UInt8>) -> UInt64 {
        var signature = UInt64(truncatingIfNeeded: key.count) << 48
        if key.count >= 8 {
            let word = UInt64(littleEndian: UnsafeRawPointer(key.baseAddress!).loadUnaligned(as: UInt64.self))
            return signature | word & 0xffff_ffff_ffff
        }
        for index in 0..<min(6, key.count) {
            signature |= UInt64(key[index]) << (8 * UInt64(index))
        }
        return signature
    }

    private mutating func insert(_ components: [String], from root: Int32) -> Int32 {
        var node = root
        for component in components {
            let key = Array(component.utf8)
            if let existing = nodes[Int(node)].children.first(where: { nodes[Int($0)].key == key }) {
                node = existing
                continue
            }
            nodes.append(Node(key: key))
            let index = Int32(nodes.count - 1)
            nodes[Int(node)].children.append(index)
            node = index
        }
        return node
    }
}
