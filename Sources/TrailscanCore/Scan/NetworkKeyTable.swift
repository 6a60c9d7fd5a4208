/// An open-addressing table keyed by (principal number, network), for the
/// baseline tracker's source networks.
///
/// A network is a parsed address's /24 (IPv4) or /48 (IPv6) packed into 64
/// bits, so a key is compared as two integers, and the key, its attachment
/// and its earliest time share one 24-byte slot. Finding a network costs one
/// cache line, where a table of address texts reads its slot, the entry and
/// the pooled bytes. Networks are the most numerous baseline values, and
/// the probes that miss the cache are theirs.
struct NetworkKeyTable {
    private struct Slot {
        var network: UInt64 = 0
        /// The principal number + 1; 0 marks an empty slot.
        var principal: UInt32 = 0
        var attachment: Int32 = -1
        var earliest: Int64 = .max
    }

    private var slots = [Slot](repeating: Slot(), count: 1024)
    private var shift = 64 - 10

    /// How many keys the table holds.
    private(set) var count = 0

    /// Returns the packed network of `address`: the /24 of an IPv4 address,
    /// with the top bit set, or the top 48 bits of an IPv6 address. The two
    /// ranges cannot meet, because 48 bits never reach the top bit.
    static func network(of address: IPAddress) -> UInt64 {
        if address.isIPv4 {
            return 1 << 63 | UInt64(UInt32(truncatingIfNeeded: address.value) >> 8)
        }
        return UInt64(truncatingIfNeeded: address.value >> 80)
    }

    /// Returns the slot of (principal, network), adding it when it is new.
    /// The slot stays valid until the next call.
    @inline(__always)
    mutating func slot(principal: Int, network: UInt64) -> (slot: Int, isNew: Bool) {
        let tag = UInt32(truncatingIfNeeded: principal + 1)
        var position = position(principal: tag, network: network)
        let mask = slots.count - 1
        while true {
            let slot = slots[position]
            if slot.principal == 0 { break }
            if slot.network == network && slot.principal == tag { return (position, false) }
            position = (position + 1) & mask
        }
        if (count + 1) * 2 > slots.count {
            grow()
            return slot(principal: principal, network: network)
        }
        slots[position].network = network
        slots[position].principal = tag
        count += 1
        return (position, true)
    }

    /// Returns the number attached to the key in `slot`, or -1 before `attach`.
    func attachment(of slot: Int) -> Int32 { slots[slot].attachment }

    mutating func attach(_ value: Int32, to slot: Int) { slots[slot].attachment = value }

    /// Notes `time` for the key in `slot` and returns whether it is at or
    /// before every time noted for that key before. A new key returns true.
    @inline(__always)
    mutating func lower(_ slot: Int, to time: Int64) -> Bool {
        if time > slots[slot].earliest { return false }
        slots[slot].earliest = time
        return true
    }

    private func position(principal: UInt32, network: UInt64) -> Int {
        let mixed = (network ^ UInt64(principal) &* 0xc2b2_ae3d_27d4_eb4f) &* 0x9e37_79b9_7f4a_7c15
        return Int(truncatingIfNeeded: mixed >> UInt64(shift))
    }

    private mutating func grow() {
        let old = slots
        slots = [Slot](repeating: Slot(), count: old.count * 2)
        shift -= 1
        let mask = slots.count - 1
        for slot in old where slot.principal != 0 {
            var position = position(principal: slot.principal, network: slot.network)
            while slots[position].principal != 0 { position = (position + 1) & mask }
            slots[position] = slot
        }
    }
}
