/// Validates and compiles the operand list of a `numeric` operator.
///
/// EventBridge accepts one comparison (`["=", 5]`, `["<", 5]`, `["<=", 5]`,
/// `[">", 5]`, `[">=", 5]`) or a range that names the lower bound first
/// (`[">", 0, "<=", 5]`) with the lower bound below the upper bound. Operands
/// must be JSON numbers.
enum NumericCompiler {
    private static let example = #"write [">", 0] for one comparison or [">=", 0, "<", 10] for a range"#

    static func compile(_ value: JSONValue, jsonPath: String) throws(PatternError) -> NumericRange {
        guard case .array(let terms) = value else {
            throw PatternError(
                path: jsonPath, problem: "numeric takes an array of operators and numbers, not \(value.typeName)",
                fix: example)
        }
        guard terms.count == 2 || terms.count == 4 else {
            throw PatternError(
                path: jsonPath,
                problem: "numeric takes an operator and a number, or two of each for a range, but found \(terms.count) terms",
                fix: example)
        }

        let (firstOperator, firstValue) = try comparison(terms, at: 0, jsonPath: jsonPath)
        var range = NumericRange(lower: nil, lowerIsInclusive: false, upper: nil, upperIsInclusive: false)
        switch firstOperator {
        case "=": range = NumericRange(lower: firstValue, lowerIsInclusive: true, upper: firstValue, upperIsInclusive: true)
        case ">", ">=": range.lower = firstValue; range.lowerIsInclusive = firstOperator == ">="
        default: range.upper = firstValue; range.upperIsInclusive = firstOperator == "<="
        }
        guard terms.count == 4 else { return range }

        let (secondOperator, secondValue) = try comparison(terms, at: 2, jsonPath: jsonPath)
        guard firstOperator == ">" || firstOperator == ">=" else {
            throw PatternError(
                path: jsonPath, problem: "a numeric range must start with > or >=, not \(firstOperator)",
                fix: firstOperator == "=" ? "use [\"=\", number] alone" : "put the lower bound first, such as [\">\", 0, \"<\", 5]")
        }
        guard secondOperator == "<" || secondOperator == "<=" else {
            throw PatternError(
                path: "\(jsonPath)[2]", problem: "the upper bound of a numeric range needs < or <=, not \(secondOperator)",
                fix: example)
        }
        guard firstValue < secondValue else {
            throw PatternError(
                path: jsonPath,
                problem: "the lower bound \(terms[1].serialized) must be less than the upper bound \(terms[3].serialized)",
                fix: example)
        }
        range.upper = secondValue
        range.upperIsInclusive = secondOperator == "<="
        return range
    }

    /// Reads the operator at `index` and the number after it.
    private static func comparison(_ terms: [JSONValue], at index: Int, jsonPath: String) throws(PatternError) -> (String, Double) {
        guard case .string(let name) = terms[index], ["=", "<", "<=", ">", ">="].contains(name) else {
            throw PatternError(
                path: "\(jsonPath)[\(index)]",
                problem: "\(terms[index].serialized) is not a numeric operator (=, <, <=, >, >=)",
                fix: example)
        }
        guard case .number(let value, _) = terms[index + 1] else {
            let operand = terms[index + 1]
            let fix: String? =
                if case .string(let text) = operand, let number = JSONNumberText.value(of: text) {
                    "write the number without quotes: [\"\(name)\", \(number)]"
                } else { example }
            throw PatternError(
                path: "\(jsonPath)[\(index + 1)]", problem: "the operand of \(name) must be a JSON number, not \(operand.typeName)",
                fix: fix)
        }
        return (name, value)
    }
}

/// Recognizes JSON number text inside a string, for error fixes only.
enum JSONNumberText {
    static func value(of text: String) -> String? {
        guard case .number(_, let written)? = try? JSONValue(parsing: text) else { return nil }
        return written
    }
}
