/// Validates and compiles the array of match values listed for one field:
/// literals and operator objects such as `{"prefix": "a"}`.
enum OperatorCompiler {
    /// The operator names EventBridge accepts in a match value, all lowercase
    /// and case-sensitive.
    static let operatorNames: [String] = [
        "prefix", "suffix", "equals-ignore-case", "wildcard", "anything-but", "numeric", "exists", "cidr",
    ]

    static func compileValues(_ values: [JSONValue], path: FieldPath, jsonPath: String) throws(PatternError) -> FieldCondition {
        guard !values.isEmpty else {
            throw PatternError(
                path: jsonPath, problem: "empty arrays are not allowed",
                fix: #"list at least one value, or write [{"exists": false}] to match a missing field"#)
        }

        var condition = FieldCondition(path: path, tests: [], acceptsAbsence: false)
        for (index, value) in values.enumerated() {
            let valuePath = "\(jsonPath)[\(index)]"
            switch value {
            case .string(let text):
                if let address = IPAddress(text.utf8) {
                    condition.tests.append(.ipAddress(address))
                } else {
                    condition.tests.append(.string(Array(text.utf8)))
                }
            case .number(let number, _):
                condition.tests.append(.number(number))
            case .bool(let flag):
                condition.tests.append(.literal(flag ? .true : .false))
            case .null:
                condition.tests.append(.literal(.null))
            case .array:
                throw PatternError(
                    path: valuePath, problem: "a match value cannot be an array",
                    fix: "list the values directly in the field's array")
            case .object(let members):
                if let test = try compileOperator(members, jsonPath: valuePath) {
                    condition.tests.append(test)
                } else {
                    condition.acceptsAbsence = true
                }
            }
        }
        return condition
    }

    /// Compiles one operator object. Returns nil for `{"exists": false}`.
    private static func compileOperator(_ members: [JSONMember], jsonPath: String) throws(PatternError) -> ValueTest? {
        guard let member = members.first else {
            throw PatternError(
                path: jsonPath, problem: "an operator object needs one operator, found none",
                fix: #"write an operator, such as {"prefix": "a"}"#)
        }
        guard members.count == 1 else {
            let split = members.map { "{\"\($0.key)\": \($0.value.serialized)}" }.joined(separator: ", ")
            throw PatternError(
                path: jsonPath, problem: "an operator object holds exactly one operator, found \(members.count) keys",
                fix: "write one object per operator: \(split)")
        }

        let operatorPath = jsonPath + "." + member.key
        let value = member.value
        switch member.key {
        case "prefix": return try compilePrefixOrSuffix(value, isPrefix: true, jsonPath: operatorPath)
        case "suffix": return try compilePrefixOrSuffix(value, isPrefix: false, jsonPath: operatorPath)
        case "equals-ignore-case":
            let text = try requireString(value, operatorName: "equals-ignore-case", jsonPath: operatorPath)
            return .equalsIgnoringCase(CaseFolding.lowercased(text.utf8))
        case "wildcard":
            let text = try requireString(value, operatorName: "wildcard", jsonPath: operatorPath)
            return .wildcard(try compileWildcard(text, jsonPath: operatorPath))
        case "numeric": return .numeric(try NumericCompiler.compile(value, jsonPath: operatorPath))
        case "exists": return try compileExists(value, jsonPath: operatorPath)
        case "cidr":
            let text = try requireString(value, operatorName: "cidr", jsonPath: operatorPath)
            return .cidr(try compileCIDR(text, jsonPath: operatorPath))
        case "anything-but": return .anythingBut(try ExclusionCompiler.compile(value, jsonPath: operatorPath))
        default: throw unknownOperatorError(member.key, jsonPath: operatorPath)
        }
    }

    private static func compilePrefixOrSuffix(_ value: JSONValue, isPrefix: Bool, jsonPath: String) throws(PatternError) -> ValueTest {
        let name = isPrefix ? "prefix" : "suffix"
        if case .object(let members) = value, members.count == 1, members[0].key == "equals-ignore-case" {
            let text = try requireString(
                members[0].value, operatorName: "\(name) equals-ignore-case", jsonPath: jsonPath + ".equals-ignore-case")
            let lowered = CaseFolding.lowercased(text.utf8)
            return isPrefix ? .prefixIgnoringCase(lowered) : .suffixIgnoringCase(lowered)
        }
        if case .object = value {
            throw PatternError(
                path: jsonPath, problem: "\(name) takes a string or {\"equals-ignore-case\": string}",
                fix: "write {\"\(name)\": {\"equals-ignore-case\": \"text\"}}")
        }
        let text = try requireString(value, operatorName: name, jsonPath: jsonPath)
        return isPrefix ? .prefix(Array(text.utf8)) : .suffix(Array(text.utf8))
    }

    /// Returns the string an operator takes, or throws with a fix that splits
    /// a list into one operator object per element.
    static func requireString(_ value: JSONValue, operatorName: String, jsonPath: String) throws(PatternError) -> String {
        if case .string(let text) = value { return text }

        let fix: String?
        if case .array(let elements) = value, !elements.isEmpty {
            let key = operatorName.split(separator: " ").first.map(String.init) ?? operatorName
            let objects = elements.map { "{\"\(key)\": \($0.serialized)}" }.joined(separator: ", ")
            fix = "list one operator object per value: [\(objects)]"
        } else {
            fix = nil
        }
        throw PatternError(
            path: jsonPath, problem: "\(operatorName) takes one string, not \(value.typeName)", fix: fix)
    }

    private static func compileExists(_ value: JSONValue, jsonPath: String) throws(PatternError) -> ValueTest? {
        switch value {
        case .bool(true): return .exists
        case .bool(false): return nil
        case .string(let text) where text == "true" || text == "false":
            throw PatternError(
                path: jsonPath, problem: "exists takes the JSON boolean true or false, not a string",
                fix: "write {\"exists\": \(text)} without quotes")
        default:
            throw PatternError(
                path: jsonPath, problem: "exists takes the JSON boolean true or false, not \(value.typeName)",
                fix: #"write {"exists": true} or {"exists": false}"#)
        }
    }

    static func compileWildcard(_ text: String, jsonPath: String) throws(PatternError) -> Wildcard {
        let error: Wildcard.ParseError
        do {
            return try Wildcard(parsing: text)
        } catch let caught {
            error = caught
        }

        switch error {
        case .consecutiveStars:
            throw PatternError(
                path: jsonPath, problem: "the wildcard \"\(text)\" contains consecutive * characters",
                fix: "use a single *, which already matches any run of characters")
        case .invalidEscape(let after):
            let problem =
                after.isEmpty
                ? "the wildcard \"\(text)\" ends with a backslash"
                : "the wildcard \"\(text)\" has a backslash before \"\(after)\""
            throw PatternError(
                path: jsonPath, problem: problem,
                fix: #"a backslash may only escape * or \, so write \\ for a literal backslash"#)
        }
    }

    private static func compileCIDR(_ text: String, jsonPath: String) throws(PatternError) -> CIDRBlock {
        let error: CIDRBlock.ParseError
        do {
            return try CIDRBlock(parsing: text)
        } catch let caught {
            error = caught
        }

        switch error {
        case .singleAddress:
            let address = text.split(separator: "/").first.map(String.init) ?? text
            throw PatternError(
                path: jsonPath, problem: "the CIDR block \"\(text)\" covers a single address, which EventBridge rejects",
                fix: "match the address itself: [\"\(address)\"]")
        case .malformed:
            throw PatternError(
                path: jsonPath, problem: "\"\(text)\" is not a CIDR block",
                fix: #"write an address and a prefix length, such as "10.0.0.0/24" or "2001:db8::/32""#)
        }
    }

    private static func unknownOperatorError(_ name: String, jsonPath: String) -> PatternError {
        if let known = operatorNames.first(where: { $0 == name.lowercased() }) {
            return PatternError(
                path: jsonPath, problem: "unknown operator \"\(name)\"",
                fix: "operator names are case-sensitive, so write \"\(known)\"")
        }
        return PatternError(
            path: jsonPath, problem: "unknown operator \"\(name)\"",
            fix: "use one of " + operatorNames.joined(separator: ", "))
    }
}
