package io.github.iottelemetry.localiot.policy;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * One IoT policy document (Version 2012-10-17): statements of Effect, Action, Resource and an optional
 * Condition. Built from the policy as the template resolves it, so it fails at start-up, naming the policy and
 * statement, on anything this broker would otherwise have to guess about (NotAction, unknown operators).
 */
public final class IotPolicyDocument {

    /** Condition operators evaluated here; a policy with another one is refused rather than misread. */
    private static final Set<String> OPERATORS = Set.of(
            "StringEquals",
            "StringNotEquals",
            "StringEqualsIgnoreCase",
            "StringNotEqualsIgnoreCase",
            "StringLike",
            "StringNotLike",
            "Bool");

    private final String name;
    private final List<Statement> statements;

    private IotPolicyDocument(String name, List<Statement> statements) {
        this.name = name;
        this.statements = statements;
    }

    record Statement(boolean allow, List<String> actions, List<String> resources, List<Condition> conditions) {}

    record Condition(String operator, boolean ifExists, String key, List<String> values) {}

    public String name() {
        return name;
    }

    List<Statement> statements() {
        return statements;
    }

    /**
     * @param name the policy's name, for messages
     * @param document the PolicyDocument as a map (maps, lists and strings)
     * @throws IllegalArgumentException naming the policy and statement when the document is malformed or uses
     *     something not evaluated here
     */
    public static IotPolicyDocument parse(String name, Object document) {
        if (!(document instanceof Map<?, ?> map)) {
            throw new IllegalArgumentException(
                    "IoT policy " + name + ": PolicyDocument must be an object, found " + document);
        }
        Object statementValue = map.get("Statement");
        List<?> rawStatements = statementValue instanceof List<?> list
                ? list
                : statementValue == null ? List.of() : List.of(statementValue);
        List<Statement> statements = new ArrayList<>();
        for (int index = 0; index < rawStatements.size(); index++) {
            statements.add(parseStatement(name, index, rawStatements.get(index)));
        }
        return new IotPolicyDocument(name, List.copyOf(statements));
    }

    private static Statement parseStatement(String policy, int index, Object raw) {
        String where = "IoT policy " + policy + " statement " + index;
        if (!(raw instanceof Map<?, ?> statement)) {
            throw new IllegalArgumentException(where + ": must be an object");
        }
        for (String unsupported : List.of("NotAction", "NotResource", "NotPrincipal")) {
            if (statement.containsKey(unsupported)) {
                throw new IllegalArgumentException(
                        where + ": " + unsupported + " is not evaluated by the local broker; use Action/Resource");
            }
        }
        Object effect = statement.get("Effect");
        if (!"Allow".equals(effect) && !"Deny".equals(effect)) {
            throw new IllegalArgumentException(where + ": Effect must be Allow or Deny, found " + effect);
        }
        List<String> actions = strings(where + " Action", statement.get("Action"));
        List<String> resources = strings(where + " Resource", statement.get("Resource"));
        List<Condition> conditions = new ArrayList<>();
        if (statement.get("Condition") instanceof Map<?, ?> conditionBlock) {
            for (Map.Entry<?, ?> operatorEntry : conditionBlock.entrySet()) {
                String operator = String.valueOf(operatorEntry.getKey());
                boolean ifExists = operator.endsWith("IfExists");
                String baseOperator =
                        ifExists ? operator.substring(0, operator.length() - "IfExists".length()) : operator;
                if (!OPERATORS.contains(baseOperator)) {
                    throw new IllegalArgumentException(where + ": condition operator " + operator
                            + " is not evaluated by the local broker (supported: " + OPERATORS
                            + ", with or without IfExists)");
                }
                if (!(operatorEntry.getValue() instanceof Map<?, ?> keys)) {
                    throw new IllegalArgumentException(where + ": condition " + operator + " must map keys to values");
                }
                for (Map.Entry<?, ?> key : keys.entrySet()) {
                    conditions.add(new Condition(
                            baseOperator,
                            ifExists,
                            String.valueOf(key.getKey()),
                            strings(where + " Condition " + operator + " " + key.getKey(), key.getValue())));
                }
            }
        } else if (statement.containsKey("Condition")) {
            throw new IllegalArgumentException(where + ": Condition must be an object");
        }
        return new Statement(
                "Allow".equals(effect),
                actions.stream().map(a -> a.toLowerCase(Locale.ROOT)).toList(),
                resources,
                List.copyOf(conditions));
    }

    private static List<String> strings(String where, Object value) {
        if (value instanceof List<?> list) {
            List<String> strings = new ArrayList<>();
            for (Object item : list) {
                if (item instanceof Map<?, ?> || item instanceof List<?> || item == null) {
                    throw new IllegalArgumentException(where + ": expected strings, found " + item);
                }
                strings.add(String.valueOf(item));
            }
            return List.copyOf(strings);
        }
        if (value == null || value instanceof Map<?, ?>) {
            throw new IllegalArgumentException(where + ": expected a string or a list of strings, found " + value);
        }
        return List.of(String.valueOf(value));
    }
}
