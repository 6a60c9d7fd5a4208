/// The `errorCode` values that mean the caller was not allowed, which count
/// towards an error burst: `AccessDenied`, `AccessDeniedException`,
/// `Client.UnauthorizedOperation`, `UnauthorizedAccess`, `Forbidden`,
/// `NotAuthorized` and their variants. Throttling, validation and
/// not-found errors do not count.
enum AccessDenied {
    static func matches(_ errorCode: String) -> Bool {
        let lowercased = errorCode.lowercased()
        return lowercased.contains("accessdenied") || lowercased.contains("unauthorized")
            || lowercased.contains("forbidden") || lowercased.contains("notauthorized")
    }
}
