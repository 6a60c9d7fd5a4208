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
    }

    /// The child of `node` whose key equals `key`, or -1.
    @inline(__always)
    func child(of node: Int32, key: UnsafeBufferPointer<UInt8>) -> Int32 {
        for child in nodes[Int(node)].children {
            let candidate = nodes[Int(child)].key
            if candidate.count == key.count && candidate.withUnsafeBufferPointer({ $0.elementsEqual(key) }) {
                return child
            }
        }
        return -1
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
