import EventPatterns

extension RuleExport {
    /// Returns a Terraform configuration with one `aws_cloudwatch_event_rule`
    /// per rule, on the default event bus.
    ///
    /// `event_pattern` is a heredoc holding the pattern's JSON as written,
    /// rather than `jsonencode(...)`, because `jsonencode` writes numbers in
    /// its own form (`300e-2` becomes `3`). When the `alert_topic_arn` variable is set, each rule also
    /// gets an `aws_cloudwatch_event_target` that sends to that SNS topic.
    static func terraformConfiguration(_ rules: [Rule]) -> String {
        let names = eventBridgeNames(for: rules)
        let labels = identifiers(for: rules, suffix: "").map(snakeCase)
        var text = """
            # EventBridge rules exported by trailscan \(trailscanVersion) (\(rules.count) rules).

            variable "alert_topic_arn" {
              description = "ARN of an SNS topic that receives the matching events; empty creates the rules without targets. The topic's access policy must allow events.amazonaws.com to publish."
              type        = string
              default     = ""
            }

            """
        for (index, rule) in rules.enumerated() {
            text += "\n" + terraformRule(rule, name: names[index], label: labels[index])
        }
        return text
    }

    private static func terraformRule(_ rule: Rule, name: String, label: String) -> String {
        let pattern = rule.pattern.source.prettyPrinted(margin: "    ")
        return """
            resource "aws_cloudwatch_event_rule" "\(label)" {
              name          = \(hclQuoted(name))
              description   = \(hclQuoted(description(of: rule)))
              event_pattern = <<-PATTERN
                \(escapingTemplateSequences(pattern))
              PATTERN
            }

            resource "aws_cloudwatch_event_target" "\(label)" {
              count     = var.alert_topic_arn == "" ? 0 : 1
              rule      = aws_cloudwatch_event_rule.\(label).name
              target_id = "AlertTopic"
              arn       = var.alert_topic_arn
            }

            """
    }

    /// `text` as an HCL quoted string: JSON-style escapes, plus `$${` and
    /// `%%{` so that Terraform does not read `${` or `%{` as a template.
    static func hclQuoted(_ text: String) -> String {
        var quoted = ""
        JSONValue.writeQuoted(text, to: &quoted)
        return escapingTemplateSequences(quoted)
    }

    /// Doubles the `$` of `${` and the `%` of `%{`, the HCL escapes for a
    /// literal template sequence in quoted strings and heredocs.
    static func escapingTemplateSequences(_ text: String) -> String {
        text.replacingOccurrences(of: "${", with: "$${").replacingOccurrences(of: "%{", with: "%%{")
    }

    /// `CloudTrailLoggingStopped` → `cloud_trail_logging_stopped`.
    private static func snakeCase(_ identifier: String) -> String {
        var result = ""
        var previous: Character?
        for character in identifier {
            if character.isUppercase, let previous, previous.isLowercase || previous.isNumber {
                result += "_"
            }
            result += character.lowercased()
            previous = character
        }
        return result
    }
}
