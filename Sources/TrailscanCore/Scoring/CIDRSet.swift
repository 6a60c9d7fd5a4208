/// A set of CIDR blocks that finds the block containing an address in
/// O(log n).
///
/// Two CIDR blocks are either disjoint or one contains the other, because a
/// block is every address that shares a prefix. So after dropping each block
/// that lies inside another one, the remaining blocks are disjoint, and
/// sorted by their first address they form a table that a binary search can
/// read. For example, `10.0.0.0/8`, `10.1.0.0/16` and `192.168.0.0/16` become
/// the table [`10.0.0.0/8`, `192.168.0.0/16`], and `10.1.2.3` is found by
/// taking the last entry that starts at or before it, `10.0.0.0/8`, and
/// checking that the address is not past that entry's end.
public struct CIDRSet: Sendable, Equatable {
    /// The blocks that no other block of the set contains, sorted by their
    /// first address.
    public let blocks: [CIDRBlock]

    /// Creates the set of the given blocks.
    ///
    /// - Complexity: O(n log n) for n blocks.
    public init(_ blocks: some Sequence<CIDRBlock>) {
        // Among blocks that start at the same address, the widest comes first.
        let sorted = blocks.sorted { left, right in
            if left.lowerBound != right.lowerBound { return left.lowerBound < right.lowerBound }
            return left.bitPrefixLength < right.bitPrefixLength
        }

        var outermost: [CIDRBlock] = []
        for block in sorted {
            // A block that starts inside the last kept block lies inside it.
            if let last = outermost.last, block.lowerBound <= last.upperBound { continue }
            outermost.append(block)
        }
        self.blocks = outermost
    }

    public var isEmpty: Bool {
        blocks.isEmpty
    }

    /// Returns the widest block of the set that contains `address`, or nil
    /// when no block does.
    ///
    /// - Complexity: O(log n) for n blocks.
    public func block(containing address: IPAddress) -> CIDRBlock? {
        // Binary search for the number of blocks that start at or before the address.
        var low = 0
        var high = blocks.count
        while low < high {
            let middle = (low + high) / 2
            if blocks[middle].lowerBound <= address.value {
                low = middle + 1
            } else {
                high = middle
            }
        }
        guard low > 0 else { return nil }

        let candidate = blocks[low - 1]
        return address.value <= candidate.upperBound ? candidate : nil
    }

    /// Returns whether any block of the set contains `address`.
    ///
    /// - Complexity: O(log n) for n blocks.
    public func contains(_ address: IPAddress) -> Bool {
        block(containing: address) != nil
    }
}
