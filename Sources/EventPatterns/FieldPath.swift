/// A field path inside an event, such as `detail.userIdentity.type`.
///
/// A key written with dots (`{"a.b": ...}`) addresses the same field as the
/// nested form (`{"a": {"b": ...}}`), so components never contain a dot. The
/// same holds for event keys: `{"detail": {"state.status": "x"}}` has a leaf at
/// `detail.state.status`.
public struct FieldPath: Hashable, Comparable, Sendable, CustomStringConvertible {
    public var components: [String]

    /// Creates a path from keys, splitting every key at its dots.
    public init(_ components: [String]) {
        self.components = components.flatMap(FieldPath.splitKey)
    }

    public init(dotted: String) {
        self.init([dotted])
    }

    public var description: String { components.joined(separator: ".") }

    public static func < (lhs: FieldPath, rhs: FieldPath) -> Bool {
        lhs.components.lexicographicallyPrecedes(rhs.components)
    }

    /// Splits one JSON key into path components at its dots (`"a.b"` gives
    /// `["a", "b"]`, and `""` gives `[""]`).
    static func splitKey(_ key: String) -> [String] {
        key.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
    }
}
