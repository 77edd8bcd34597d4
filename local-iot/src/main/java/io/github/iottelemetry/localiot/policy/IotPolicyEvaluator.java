package io.github.iottelemetry.localiot.policy;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Evaluates IoT policies as IoT Core does for a device: every statement of every policy whose Action and
 * Resource match (after substituting the connection's policy variables) and whose conditions hold counts; an
 * explicit Deny wins over any Allow; without a matching Allow the request is denied. Thread-safe.
 */
public final class IotPolicyEvaluator {

    private final List<IotPolicyDocument> policies;

    public IotPolicyEvaluator(List<IotPolicyDocument> policies) {
        this.policies = List.copyOf(policies);
    }

    public List<IotPolicyDocument> policies() {
        return policies;
    }

    public PolicyDecision decide(PolicyRequest request) {
        String action = request.action().policyName().toLowerCase(Locale.ROOT);
        PolicyDecision allow = null;
        for (IotPolicyDocument policy : policies) {
            List<IotPolicyDocument.Statement> statements = policy.statements();
            for (int index = 0; index < statements.size(); index++) {
                IotPolicyDocument.Statement statement = statements.get(index);
                if (!matchesAction(statement, action)
                        || !matchesResource(statement, request)
                        || !conditionsHold(statement, request.variables())) {
                    continue;
                }
                if (!statement.allow()) {
                    return PolicyDecision.explicitDeny(policy.name(), index);
                }
                if (allow == null) {
                    allow = PolicyDecision.allow(policy.name(), index);
                }
            }
        }
        return allow != null ? allow : PolicyDecision.implicitDeny();
    }

    private static boolean matchesAction(IotPolicyDocument.Statement statement, String action) {
        for (String pattern : statement.actions()) {
            if (WildcardPattern.matches(pattern, action)) {
                return true;
            }
        }
        return false;
    }

    private static boolean matchesResource(IotPolicyDocument.Statement statement, PolicyRequest request) {
        for (String pattern : statement.resources()) {
            String substituted = substitute(pattern, request.variables());
            if (substituted != null && WildcardPattern.matches(substituted, request.resourceArn())) {
                return true;
            }
        }
        return false;
    }

    /**
     * Replaces {@code ${name}} with the connection's value. A variable the connection has no value for makes
     * the resource match nothing (IoT Core leaves such a statement without effect), so it returns null.
     */
    static String substitute(String pattern, Map<String, String> variables) {
        int start = pattern.indexOf("${");
        if (start < 0) {
            return pattern;
        }
        StringBuilder result = new StringBuilder(pattern.length() + 32);
        int position = 0;
        while (start >= 0) {
            int end = pattern.indexOf('}', start);
            if (end < 0) {
                break;
            }
            String value = variables.get(pattern.substring(start + 2, end));
            if (value == null) {
                return null;
            }
            result.append(pattern, position, start).append(value);
            position = end + 1;
            start = pattern.indexOf("${", position);
        }
        return result.append(pattern, position, pattern.length()).toString();
    }

    private static boolean conditionsHold(IotPolicyDocument.Statement statement, Map<String, String> variables) {
        for (IotPolicyDocument.Condition condition : statement.conditions()) {
            String actual = variables.get(condition.key());
            if (actual == null) {
                if (condition.ifExists()) {
                    continue;
                }
                return false;
            }
            if (!conditionHolds(condition, actual, variables)) {
                return false;
            }
        }
        return true;
    }

    private static boolean conditionHolds(
            IotPolicyDocument.Condition condition, String actual, Map<String, String> variables) {
        boolean anyMatch = false;
        for (String rawExpected : condition.values()) {
            String expected = substitute(rawExpected, variables);
            if (expected == null) {
                continue;
            }
            boolean match = switch (condition.operator()) {
                case "StringEquals", "StringNotEquals" -> actual.equals(expected);
                case "StringEqualsIgnoreCase", "StringNotEqualsIgnoreCase" -> actual.equalsIgnoreCase(expected);
                case "StringLike", "StringNotLike" -> WildcardPattern.matches(expected, actual);
                case "Bool" -> actual.equalsIgnoreCase(expected);
                default ->
                    throw new IllegalStateException(
                            "operator " + condition.operator() + " passed parsing but has no evaluation");
            };
            anyMatch |= match;
        }
        return condition.operator().contains("Not") ? !anyMatch : anyMatch;
    }
}
