/// A problem with one input: which input, where in it, what is wrong and
/// what to do about it.
public struct InputError: Error, Sendable, CustomStringConvertible {
    /// The input's path, or `stdin`.
    public var path: String
    /// The place of the problem, for example `line 7` or `byte 1,024 of the compressed data`.
    public var location: String?
    public var message: String
    /// The action that fixes it, for example "re-download the file".
    public var hint: String?

    public init(path: String, location: String? = nil, message: String, hint: String? = nil) {
        self.path = path
        self.location = location
        self.message = message
        self.hint = hint
    }

    public var description: String {
        path + ": " + detail
    }

    /// The message without the path, for the `inputs.error` column, whose
    /// row already names the input.
    public var detail: String {
        var text = location.map { "\($0): " } ?? ""
        text += message
        if let hint { text += "; " + hint }
        return text
    }
}
