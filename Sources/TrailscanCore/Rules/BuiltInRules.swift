// PLACEHOLDER until the rule library is embedded.
enum BuiltInRules {
    static let files: [(path: String, text: String)] = []
}
