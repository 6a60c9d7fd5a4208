/// The `errorCode` values that mean the caller was not allowed, which count
/// towards an error burst: `AccessDenied`, `AccessDeniedException`,
/// `Client.UnauthorizedOperation`, `UnauthorizedAccess`, `Forbidden`,
/// `NotAuthorized` and their variants. Throttling, validation and
/// not-found errors do not count.
enum AccessDenied {
    /// Lowercase markers; an error code matches when it contains one,
    /// compared without regard to ASCII case.
    private static let markers: [[UInt8]] = ["accessdenied", "unauthorized", "forbidden", "notauthorized"].map { Array($0.utf8) }

    static func matches(_ errorCode: String) -> Bool {
        var errorCode = errorCode
        return errorCode.withUTF8 { matches($0) }
    }

    /// Returns whether the UTF-8 bytes of an error code match.
    static func matches(_ errorCode: UnsafeBufferPointer<UInt8>) -> Bool {
        markers.contains { contains(errorCode, lowercased: $0) }
    }

    /// Returns whether `bytes` contain `marker` (lowercase ASCII), ignoring ASCII case.
    private static func contains(_ bytes: UnsafeBufferPointer<UInt8>, lowercased marker: [UInt8]) -> Bool {
        guard bytes.count >= marker.count else { return false }
        for start in 0...(bytes.count - marker.count) {
            var offset = 0
            while offset < marker.count && (bytes[start + offset] | 0x20) == marker[offset] { offset += 1 }
            if offset == marker.count { return true }
        }
        return false
    }
}
