extension StaticScorer {
    /// Returns the ip signal's detail, or nil when it does not fire.
    ///
    /// It fires when `sourceIPAddress` is an IPv4 or IPv6 address inside a
    /// suspicious network, or outside every trusted network. Values that are
    /// not addresses never fire: AWS service names (`ec2.amazonaws.com`,
    /// `AWS Internal`), empty strings and invalid pseudonymised quads such as
    /// `253.252.51.07`.
    func ipDetail(for facts: EventFacts) -> String? {
        guard let text = facts.sourceIPAddress, let address = IPAddress(text) else { return nil }

        if let block = config.suspiciousNetworks.block(containing: address) {
            return "\(text) is in suspicious network \(block)"
        }
        if config.trustedNetworks.contains(address) {
            return nil
        }
        return "\(text) is outside the trusted networks"
    }
}
