/// Validates a pattern's structure and multiplies out its `$or` alternatives.
///
/// The walk follows EventBridge's rules. The top level is a non-empty object,
/// and every member is `$or`, a nested non-empty object, or a non-empty array
/// of match values. `$or` takes an array of at least two objects, and inside it
/// the operator names cannot be field names. Each `$or` replaces the current
/// branches with one copy per alternative, so
/// `{"a": ["1"], "$or": [{"b": ["2"]}, {"c": ["3"]}]}` gives the branches
/// `{a, b}` and `{a, c}`. A later condition on the same field replaces an
/// earlier one in the same branch, as a repeated JSON key does.
struct PatternCompiler {
    /// The branches built so far, each a list of conditions in pattern order.
    var branches: [[FieldCondition]] = [[]]

    /// Field names that EventBridge reserves inside `$or`: the operators, the
    /// numeric comparison signs and names kept for future operators.
    static let reservedNamesInsideOr: Set<String> = [
        "exactly", "equals-ignore-case", "prefix", "suffix", "anything-but", "exists", "wildcard", "numeric",
        "cidr", "=", "<", "<=", ">", ">=", "regex", "not-wildcard", "not-equals-ignore-case", "date-after",
        "date-on-or-after", "date-before", "date-on-or-before", "in-date-range", "ip-address-in-range",
        "ip-address-not-in-range",
    ]

    mutating func compilePattern(_ json: JSONValue) throws(PatternError) {
        guard case .object(let members) = json else {
            throw PatternError(
                path: "", problem: "a pattern must be a JSON object, not \(json.typeName)",
                fix: #"wrap the fields in an object, such as {"source": ["aws.ec2"]}"#)
        }
        try compileObject(members, fieldPath: [], jsonPath: "", isInsideOr: false)
    }

    private mutating func compileObject(
        _ members: [JSONMember], fieldPath: [String], jsonPath: String, isInsideOr: Bool
    ) throws(PatternError) {
        guard !members.isEmpty else {
            throw PatternError(
                path: jsonPath, problem: "empty objects are not allowed",
                fix: jsonPath.isEmpty
                    ? #"name at least one field, such as {"source": ["aws.ec2"]}"#
                    : "name at least one field inside it, or remove it")
        }

        for member in members {
            let memberPath = PatternCompiler.join(jsonPath, member.key)
            if member.key == "$or" {
                try compileOr(member.value, fieldPath: fieldPath, jsonPath: memberPath)
                continue
            }
            if isInsideOr && PatternCompiler.reservedNamesInsideOr.contains(member.key) {
                throw PatternError(
                    path: memberPath, problem: "\"\(member.key)\" is reserved and cannot be a field name inside $or",
                    fix: OperatorCompiler.operatorNames.contains(member.key)
                        ? "put the operator inside a field's array, such as \"field\": [{\"\(member.key)\": ...}]"
                        : nil)
            }

            switch member.value {
            case .object(let inner):
                try compileObject(
                    inner, fieldPath: fieldPath + [member.key], jsonPath: memberPath, isInsideOr: isInsideOr)
            case .array(let values):
                let path = FieldPath(fieldPath + [member.key])
                let condition = try OperatorCompiler.compileValues(values, path: path, jsonPath: memberPath)
                add(condition)
            default:
                throw PatternCompiler.misplacedValueError(
                    key: member.key, value: member.value, parentPath: jsonPath, parentKey: fieldPath.last)
            }
        }
    }

    /// Expands `"$or": [..]` by compiling every alternative against a copy of
    /// the current branches.
    private mutating func compileOr(_ value: JSONValue, fieldPath: [String], jsonPath: String) throws(PatternError) {
        guard case .array(let alternatives) = value else {
            throw PatternError(
                path: jsonPath, problem: "$or must be an array of objects, not \(value.typeName)",
                fix: #"write "$or": [{"a": ["x"]}, {"b": ["y"]}]"#)
        }

        let before = branches
        var combined: [[FieldCondition]] = []
        for (index, alternative) in alternatives.enumerated() {
            let alternativePath = "\(jsonPath)[\(index)]"
            guard case .object(let members) = alternative else {
                throw PatternError(
                    path: alternativePath, problem: "each $or alternative must be an object, not \(alternative.typeName)",
                    fix: #"write each alternative as an object, such as {"a": ["x"]}"#)
            }
            branches = before
            try compileObject(members, fieldPath: fieldPath, jsonPath: alternativePath, isInsideOr: true)
            combined += branches
            guard combined.count <= Pattern.maximumCombinations else {
                throw PatternError(
                    path: jsonPath,
                    problem: "the $or alternatives expand to more than \(Pattern.maximumCombinations) combinations",
                    fix: "split the pattern into several patterns")
            }
        }

        guard alternatives.count >= 2 else {
            throw PatternError(
                path: jsonPath, problem: "$or needs at least two alternatives, found \(alternatives.count)",
                fix: alternatives.isEmpty
                    ? "remove the empty $or"
                    : "move the fields of the single alternative into the enclosing object and remove $or")
        }
        branches = combined
    }

    /// Adds `condition` to every branch, replacing a condition on the same field.
    private mutating func add(_ condition: FieldCondition) {
        for index in branches.indices {
            if let existing = branches[index].firstIndex(where: { $0.path == condition.path }) {
                branches[index][existing] = condition
            } else {
                branches[index].append(condition)
            }
        }
    }

    /// Builds the error for a member whose value is a string, number, boolean
    /// or null. The usual cause is an operator written without its array, such as
    /// `"x": {"exists": false}` for `"x": [{"exists": false}]`.
    private static func misplacedValueError(
        key: String, value: JSONValue, parentPath: String, parentKey: String?
    ) -> PatternError {
        let operatorObject = "{\"\(key)\": \(value.serialized)}"
        if OperatorCompiler.operatorNames.contains(key) {
            return PatternError(
                path: parentPath.isEmpty ? key : parentPath,
                problem: "the operator \(operatorObject) must be inside an array",
                fix: "write \"\(parentKey ?? "field")\": [\(operatorObject)]")
        }
        return PatternError(
            path: join(parentPath, key),
            problem: "the value of \"\(key)\" must be an array of match values or an object, not \(value.typeName)",
            fix: "write \"\(key)\": [\(value.serialized)]")
    }

    static func join(_ path: String, _ key: String) -> String {
        path.isEmpty ? key : path + "." + key
    }
}
