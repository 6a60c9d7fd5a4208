/// Why a pattern is invalid: where (a JSON path inside the pattern, such as
/// `detail.errorCode[0]`), what is wrong, and how to write it instead.
///
/// `path` joins object keys with `.` and writes array elements as `[index]`.
/// It is empty when the problem is the pattern as a whole.
public struct PatternError: Error, Sendable, Equatable, CustomStringConvertible {
    public var path: String
    public var problem: String
    /// The correct form of a common mistake, or nil when there is no single fix.
    public var fix: String?

    public init(path: String, problem: String, fix: String?) {
        self.path = path
        self.problem = problem
        self.fix = fix
    }

    public var description: String {
        let location = path.isEmpty ? "" : "at \(path): "
        return location + problem + (fix.map { ". " + $0 } ?? "")
    }
}
