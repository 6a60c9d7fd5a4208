import EventPatterns

extension RuleExport {
    static let topicParameter = "AlertTopicArn"
    static let topicCondition = "HasAlertTopic"

    /// Returns a JSON CloudFormation template with one `AWS::Events::Rule`
    /// per rule, on the default event bus.
    ///
    /// Targets are optional: the `AlertTopicArn` parameter names an SNS topic
    /// that every rule sends matching events to, and when it is left empty
    /// the rules are created without targets (still valid, and visible in
    /// EventBridge metrics).
    static func cloudFormationTemplate(_ rules: [Rule]) -> String {
        let names = eventBridgeNames(for: rules)
        let logicalIDs = identifiers(for: rules, suffix: "Rule")
        var resources: [JSONMember] = []
        for (index, rule) in rules.enumerated() {
            resources.append(JSONMember(key: logicalIDs[index], value: cloudFormationResource(rule, name: names[index])))
        }

        let template: JSONValue = .object([
            member("AWSTemplateFormatVersion", .string("2010-09-09")),
            member("Description", .string("EventBridge rules exported by trailscan \(trailscanVersion) (\(rules.count) rules)")),
            member("Parameters", .object([
                member(topicParameter, .object([
                    member("Type", .string("String")),
                    member("Default", .string("")),
                    member("Description", .string(
                        "ARN of an SNS topic that receives the matching events; leave empty to create the rules without "
                        + "targets. The topic's access policy must allow events.amazonaws.com to publish.")),
                ]))
            ])),
            member("Conditions", .object([
                member(topicCondition, .object([
                    member("Fn::Not", .array([
                        .object([member("Fn::Equals", .array([reference(topicParameter), .string("")]))])
                    ]))
                ]))
            ])),
            member("Resources", .object(resources)),
        ])
        return template.prettyPrinted() + "\n"
    }

    private static func cloudFormationResource(_ rule: Rule, name: String) -> JSONValue {
        let target: JSONValue = .object([
            member("Arn", reference(topicParameter)),
            member("Id", .string("AlertTopic")),
        ])
        let targets: JSONValue = .object([
            member("Fn::If", .array([.string(topicCondition), .array([target]), reference("AWS::NoValue")]))
        ])
        return .object([
            member("Type", .string("AWS::Events::Rule")),
            member("Properties", .object([
                member("Name", .string(name)),
                member("Description", .string(description(of: rule))),
                member("State", .string("ENABLED")),
                member("EventPattern", rule.pattern.source),
                member("Targets", targets),
            ])),
        ])
    }

    private static func member(_ key: String, _ value: JSONValue) -> JSONMember {
        JSONMember(key: key, value: value)
    }

    private static func reference(_ name: String) -> JSONValue {
        .object([member("Ref", .string(name))])
    }
}
