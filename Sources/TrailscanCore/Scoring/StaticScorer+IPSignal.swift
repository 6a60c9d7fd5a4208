extension StaticScorer {
    /// Returns the ip signal's detail, or nil when it does not fire.
    ///
    /// It fires when `sourceIPAddress` is an IPv4 or IPv6 address inside a
    /// suspicious network, or outside every trusted network. Values that are
    /// not addresses never fire: AWS service names (`ec2.amazonaws.com`,
    /// `AWS Internal`), empty strings and invalid pseudonymised quads such as
    /// `253.252.51.07`.
    func ipDetail(for facts: EventFacts) -> String? {
        ipSignal(for: facts).map(Self.detail(of:))
    }

    /// Returns the ip signal's detail for `signal`.
    static func detail(of signal: IPSignal) -> String {
        switch signal {
        case .suspicious(let text, let block): "\(text) is in suspicious network \(block)"
        case .untrusted(let text): text + untrustedEnding
        }
    }

    /// The end of the ip detail for an address outside the trusted networks.
    static let untrustedEnding = " is outside the trusted networks"

    /// The cause of an ip signal that fires.
    enum IPSignal {
        /// The address, as written in the event, is in this suspicious network.
        case suspicious(String, CIDRBlock)
        /// The address, as written in the event, is outside every trusted network.
        case untrusted(String)
    }

    /// Returns the cause of the ip signal for `facts`, or nil when it does not fire.
    func ipSignal(for facts: EventFacts) -> IPSignal? {
        guard let text = facts.sourceIPAddress, let address = IPAddress(text) else { return nil }

        if let block = config.suspiciousNetworks.block(containing: address) {
            return .suspicious(text, block)
        }
        if config.trustedNetworks.contains(address) {
            return nil
        }
        return .untrusted(text)
    }
}
