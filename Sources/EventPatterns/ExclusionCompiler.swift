/// Validates and compiles the operand of `anything-but`.
///
/// EventBridge accepts one string or number, a non-empty list of only strings
/// or only numbers, or an object with one of `prefix`, `suffix`, `wildcard`
/// and `equals-ignore-case`, each taking one string or a non-empty list of
/// strings. Prefixes and suffixes inside `anything-but` may not be empty.
enum ExclusionCompiler {
    static func compile(_ value: JSONValue, jsonPath: String) throws(PatternError) -> Exclusion {
        switch value {
        case .string(let text):
            return .strings([Array(text.utf8)])
        case .number(let number, _):
            return .numbers([number])
        case .array(let elements):
            return try compileList(elements, jsonPath: jsonPath)
        case .object(let members):
            return try compileOperator(members, jsonPath: jsonPath)
        case .null, .bool:
            throw PatternError(
                path: jsonPath, problem: "anything-but takes a string, a number, a list or an operator object, not \(value.typeName)",
                fix: #"write {"anything-but": "value"} or {"anything-but": ["a", "b"]}"#)
        }
    }

    private static func compileList(_ elements: [JSONValue], jsonPath: String) throws(PatternError) -> Exclusion {
        guard !elements.isEmpty else {
            throw PatternError(
                path: jsonPath, problem: "anything-but takes a non-empty list",
                fix: #"list at least one value, such as {"anything-but": ["a"]}"#)
        }

        var strings: [[UInt8]] = []
        var numbers: [Double] = []
        for (index, element) in elements.enumerated() {
            switch element {
            case .string(let text): strings.append(Array(text.utf8))
            case .number(let number, _): numbers.append(number)
            default:
                throw PatternError(
                    path: "\(jsonPath)[\(index)]",
                    problem: "an anything-but list may hold only strings or only numbers, not \(element.typeName)",
                    fix: nil)
            }
        }
        guard strings.isEmpty || numbers.isEmpty else {
            throw PatternError(
                path: jsonPath, problem: "an anything-but list may not mix strings and numbers",
                fix: "use two anything-but conditions in separate patterns, or one type per list")
        }
        return strings.isEmpty ? .numbers(numbers) : .strings(strings)
    }

    private static func compileOperator(_ members: [JSONMember], jsonPath: String) throws(PatternError) -> Exclusion {
        guard members.count == 1, let member = members.first else {
            throw PatternError(
                path: jsonPath, problem: "an anything-but operator object holds exactly one operator, found \(members.count) keys",
                fix: #"write {"anything-but": {"prefix": "a"}}"#)
        }

        let operatorPath = jsonPath + "." + member.key
        guard ["prefix", "suffix", "equals-ignore-case", "wildcard"].contains(member.key) else {
            throw PatternError(
                path: operatorPath, problem: "anything-but does not support \"\(member.key)\"",
                fix: "use prefix, suffix, wildcard or equals-ignore-case inside anything-but")
        }
        let texts = try strings(member.value, operatorName: "anything-but \(member.key)", jsonPath: operatorPath)
        switch member.key {
        case "prefix", "suffix":
            if let empty = texts.firstIndex(of: "") {
                throw PatternError(
                    path: texts.count == 1 && !isList(member.value) ? operatorPath : "\(operatorPath)[\(empty)]",
                    problem: "an anything-but \(member.key) may not be empty", fix: "remove the empty \(member.key)")
            }
            let bytes = texts.map { Array($0.utf8) }
            return member.key == "prefix" ? .prefixes(bytes) : .suffixes(bytes)
        case "equals-ignore-case":
            return .stringsIgnoringCase(texts.map { CaseFolding.lowercased($0.utf8) })
        case "wildcard":
            var wildcards: [Wildcard] = []
            for text in texts {
                wildcards.append(try OperatorCompiler.compileWildcard(text, jsonPath: operatorPath))
            }
            return .wildcards(wildcards)
        default:
            preconditionFailure("operator names are checked above")
        }
    }

    /// Returns the one string or non-empty list of strings that an
    /// anything-but operator takes.
    private static func strings(_ value: JSONValue, operatorName: String, jsonPath: String) throws(PatternError) -> [String] {
        if case .string(let text) = value { return [text] }
        guard case .array(let elements) = value, !elements.isEmpty else {
            throw PatternError(
                path: jsonPath, problem: "\(operatorName) takes a string or a non-empty list of strings, not \(value.typeName)",
                fix: nil)
        }

        var texts: [String] = []
        for (index, element) in elements.enumerated() {
            guard case .string(let text) = element else {
                throw PatternError(
                    path: "\(jsonPath)[\(index)]", problem: "\(operatorName) takes only strings, not \(element.typeName)",
                    fix: nil)
            }
            texts.append(text)
        }
        return texts
    }

    private static func isList(_ value: JSONValue) -> Bool {
        if case .array = value { return true }
        return false
    }
}
