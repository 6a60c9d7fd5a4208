extension FlatEvent {
    /// Flattens a parsed event, keeping the leaves at `fieldPaths`.
    ///
    /// Every array in the document, kept or not, gets the next `arrayID` in
    /// the order of its opening bracket, starting at 0. An array nested
    /// directly in an array gets its own ID, so `[["a"]]` gives the leaf `"a"`
    /// the positions `[(0, 0), (1, 0)]`. Object keys are split at their dots,
    /// so `{"state.status": "x"}` is a leaf at `state.status`.
    public init(_ value: JSONValue, fieldPaths: [FieldPath]) {
        self.init()
        var flattener = JSONFlattener(trie: FieldPathTrie(fieldPaths))
        flattener.walk(value, node: FieldPathTrie.root, into: &self)
    }
}

/// The field paths of interest as a tree of path components.
private struct FieldPathTrie {
    static let root = 0

    /// `children[node][component]` is the child node.
    private var children: [[String: Int]] = [[:]]
    /// The path ID of the path that ends at each node, if any.
    private(set) var pathIDs: [Int?] = [nil]

    init(_ paths: [FieldPath]) {
        for (pathID, path) in paths.enumerated() {
            var node = FieldPathTrie.root
            for component in path.components {
                node = childOrInsert(node, component)
            }
            pathIDs[node] = pathID
        }
    }

    func child(of node: Int, _ component: String) -> Int? {
        children[node][component]
    }

    private mutating func childOrInsert(_ node: Int, _ component: String) -> Int {
        if let existing = children[node][component] { return existing }
        children.append([:])
        pathIDs.append(nil)
        children[node][component] = children.count - 1
        return children.count - 1
    }
}

/// Walks a `JSONValue`, numbering arrays and appending the wanted leaves.
private struct JSONFlattener {
    let trie: FieldPathTrie
    var nextArrayID: Int32 = 0
    var trail: [FlatEvent.ArrayPosition] = []

    init(trie: FieldPathTrie) {
        self.trie = trie
    }

    /// Walks `value` found at trie `node`, or outside every wanted path when
    /// `node` is nil (arrays there still take an ID).
    mutating func walk(_ value: JSONValue, node: Int?, into event: inout FlatEvent) {
        switch value {
        case .object(let members):
            for member in members {
                walk(member.value, node: node.flatMap { descend($0, key: member.key) }, into: &event)
            }
        case .array(let elements):
            let arrayID = nextArrayID
            nextArrayID += 1
            for (index, element) in elements.enumerated() {
                trail.append(FlatEvent.ArrayPosition(arrayID: arrayID, index: Int32(index)))
                walk(element, node: node, into: &event)
                trail.removeLast()
            }
        default:
            guard let node, let pathID = trie.pathIDs[node] else { return }
            append(value, pathID: pathID, into: &event)
        }
    }

    private func descend(_ node: Int, key: String) -> Int? {
        var current = node
        for component in FieldPath.splitKey(key) {
            guard let next = trie.child(of: current, component) else { return nil }
            current = next
        }
        return current
    }

    private func append(_ value: JSONValue, pathID: Int, into event: inout FlatEvent) {
        trail.withUnsafeBufferPointer { positions in
            switch value {
            case .string(let text): event.appendString(text, pathID: pathID, positions: positions)
            case .number(let number, _): event.appendNumber(number, pathID: pathID, positions: positions)
            case .bool(true): event.appendLiteral(.true, pathID: pathID, positions: positions)
            case .bool(false): event.appendLiteral(.false, pathID: pathID, positions: positions)
            case .null: event.appendLiteral(.null, pathID: pathID, positions: positions)
            case .object, .array: break
            }
        }
    }
}
