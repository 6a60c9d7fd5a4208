/// A command-line mistake: exit status 2, nothing done.
struct UsageError: Error, CustomStringConvertible {
    var message: String
    var description: String { message }
}

/// Reads `--flag value`, `--flag=value` and positional arguments in order.
struct Arguments {
    private var remaining: [String]
    private(set) var positionals: [String] = []

    init(_ arguments: some Sequence<String>) {
        remaining = Array(arguments)
    }

    /// Splits the arguments into flags (handled by `handle`) and positionals.
    /// `handle` receives the flag and a closure that reads its value.
    mutating func parse(_ handle: (String, () throws -> String) throws -> Void) throws {
        while !remaining.isEmpty {
            let argument = remaining.removeFirst()
            if argument == "--" {
                positionals += remaining
                remaining = []
                return
            }
            guard argument.hasPrefix("-") && argument != "-" else {
                positionals.append(argument)
                continue
            }
            var flag = argument
            var inlineValue: String?
            if let equals = argument.firstIndex(of: "="), argument.hasPrefix("--") {
                flag = String(argument[..<equals])
                inlineValue = String(argument[argument.index(after: equals)...])
            }
            try handle(flag) {
                if let inlineValue { return inlineValue }
                guard !remaining.isEmpty else { throw UsageError(message: "\(flag) needs a value") }
                return remaining.removeFirst()
            }
        }
    }
}
