package io.github.iottelemetry.template;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Checks, when a template is loaded, that every intrinsic call has a valid shape and that everything it
 * names exists: {@code Ref} targets, {@code Fn::GetAtt} resources, {@code Fn::Sub} variables,
 * conditions and mappings. CloudFormation would reject the template at deploy time for the same
 * reasons; finding them here puts the line number in the message.
 */
final class ReferenceCheck {

    private final String sourceName;
    private final SourceLines lines;
    private final Set<String> parameters;
    private final Set<String> resources;
    private final Set<String> conditions;
    private final Set<String> mappings;

    ReferenceCheck(
            String sourceName,
            SourceLines lines,
            Set<String> parameters,
            Set<String> resources,
            Set<String> conditions,
            Set<String> mappings) {
        this.sourceName = sourceName;
        this.lines = lines;
        this.parameters = parameters;
        this.resources = resources;
        this.conditions = conditions;
        this.mappings = mappings;
    }

    /** Checks {@code value} and everything under it; {@code element} names its owner for messages. */
    void check(Object value, String element, int enclosingLine) {
        int line = lines.lineOf(value) > 0 ? lines.lineOf(value) : enclosingLine;
        if (value instanceof Map<?, ?> map) {
            String function = Intrinsics.functionName(value).orElse(null);
            if (function != null) {
                checkCall(function, Intrinsics.argument(value), element, line);
                return;
            }
            for (Object child : map.values()) {
                check(child, element, line);
            }
        } else if (value instanceof List<?> list) {
            for (Object child : list) {
                check(child, element, line);
            }
        }
    }

    void checkConditionName(String name, String element, int line) {
        if (!conditions.contains(name)) {
            throw fail(element, line, "condition '" + name + "' is not defined in Conditions" + known(conditions));
        }
    }

    void checkResourceName(String name, String element, int line, String usage) {
        if (!resources.contains(name)) {
            throw fail(element, line, usage + " '" + name + "' is not a resource of this template" + known(resources));
        }
    }

    private void checkCall(String function, Object argument, String element, int line) {
        switch (function) {
            case Intrinsics.REF -> {
                String target = requireString(function, argument, element, line);
                if (!parameters.contains(target)
                        && !PseudoParameters.NAMES.contains(target)
                        && !resources.contains(target)) {
                    throw fail(
                            element,
                            line,
                            "Ref target '" + target
                                    + "' is not a parameter, pseudo parameter or resource of this template");
                }
            }
            case Intrinsics.CONDITION -> checkConditionName((String) argument, element, line);
            case "Fn::GetAtt" -> checkGetAtt(argument, element, line);
            case "Fn::Sub" -> checkSub(argument, element, line);
            case "Fn::If" -> {
                List<?> args = requireList(function, argument, 3, 3, element, line);
                checkConditionName(
                        requireString(function + " condition name", args.get(0), element, line), element, line);
                check(args.get(1), element, line);
                check(args.get(2), element, line);
            }
            case "Fn::Join" -> {
                List<?> args = requireList(function, argument, 2, 2, element, line);
                requireString(function + " delimiter", args.get(0), element, line);
                requireListOrCall(function + " values", args.get(1), element, line);
                check(args.get(1), element, line);
            }
            case "Fn::Select" -> {
                List<?> args = requireList(function, argument, 2, 2, element, line);
                requireListOrCall(function + " values", args.get(1), element, line);
                checkAll(args, element, line);
            }
            case "Fn::Split" -> {
                List<?> args = requireList(function, argument, 2, 2, element, line);
                requireString(function + " delimiter", args.get(0), element, line);
                check(args.get(1), element, line);
            }
            case "Fn::Equals" -> checkAll(requireList(function, argument, 2, 2, element, line), element, line);
            case "Fn::Not" -> checkAll(requireList(function, argument, 1, 1, element, line), element, line);
            case "Fn::And", "Fn::Or" -> checkAll(requireList(function, argument, 2, 10, element, line), element, line);
            case "Fn::FindInMap" -> {
                List<?> args = requireList(function, argument, 3, 4, element, line);
                if (args.get(0) instanceof String mapping && !mappings.contains(mapping)) {
                    throw fail(
                            element,
                            line,
                            "Fn::FindInMap names mapping '" + mapping + "' that is not in Mappings" + known(mappings));
                }
                checkAll(args, element, line);
            }
            case "Fn::Cidr" -> checkAll(requireList(function, argument, 3, 3, element, line), element, line);
            case "Fn::Base64", "Fn::ImportValue", "Fn::GetAZs" -> check(argument, element, line);
            default -> {
                if (!Intrinsics.PASSED_THROUGH.contains(function)) {
                    throw fail(element, line, "bad intrinsic: unknown function " + function);
                }
            }
        }
    }

    private void checkGetAtt(Object argument, String element, int line) {
        String resource;
        if (argument instanceof String dotted) {
            int dot = dotted.indexOf('.');
            if (dot <= 0 || dot == dotted.length() - 1) {
                throw fail(
                        element, line, "bad intrinsic: Fn::GetAtt expects LogicalId.Attribute, got '" + dotted + "'");
            }
            resource = dotted.substring(0, dot);
        } else {
            List<?> args = requireList("Fn::GetAtt", argument, 2, 2, element, line);
            resource = requireString("Fn::GetAtt resource", args.get(0), element, line);
            if (!(args.get(1) instanceof String)) {
                requireListOrCall("Fn::GetAtt attribute", args.get(1), element, line);
                check(args.get(1), element, line);
            }
        }
        checkResourceName(resource, element, line, "Fn::GetAtt target");
    }

    private void checkSub(Object argument, String element, int line) {
        String template;
        Map<?, ?> variables = Map.of();
        if (argument instanceof String text) {
            template = text;
        } else {
            List<?> args = requireList("Fn::Sub", argument, 2, 2, element, line);
            template = requireString("Fn::Sub template", args.get(0), element, line);
            if (!(args.get(1) instanceof Map<?, ?> map)) {
                throw fail(
                        element, line, "bad intrinsic: Fn::Sub variables must be a map, got " + describe(args.get(1)));
            }
            variables = map;
            for (Object value : map.values()) {
                check(value, element, line);
            }
        }
        for (String name : Intrinsics.subVariables(template)) {
            if (variables.containsKey(name) || parameters.contains(name) || PseudoParameters.NAMES.contains(name)) {
                continue;
            }
            int dot = name.indexOf('.');
            String resource = dot > 0 ? name.substring(0, dot) : name;
            if (!resources.contains(resource)) {
                throw fail(
                        element,
                        line,
                        "Fn::Sub variable ${" + name
                                + "} is not a parameter, pseudo parameter, resource or variable of this Sub");
            }
        }
    }

    private void checkAll(List<?> values, String element, int line) {
        for (Object value : values) {
            check(value, element, line);
        }
    }

    private String requireString(String what, Object value, String element, int line) {
        if (!(value instanceof String text)) {
            throw fail(element, line, "bad intrinsic: " + what + " must be a string, got " + describe(value));
        }
        return text;
    }

    private List<?> requireList(String function, Object value, int min, int max, String element, int line) {
        if (!(value instanceof List<?> list) || list.size() < min || list.size() > max) {
            String expected = min == max ? min + " arguments" : min + " to " + max + " arguments";
            throw fail(
                    element,
                    line,
                    "bad intrinsic: " + function + " takes a list of " + expected + ", got " + describe(value));
        }
        return list;
    }

    private void requireListOrCall(String what, Object value, String element, int line) {
        if (!(value instanceof List<?>) && Intrinsics.functionName(value).isEmpty()) {
            throw fail(
                    element,
                    line,
                    "bad intrinsic: " + what + " must be a list or a function returning one, got " + describe(value));
        }
    }

    private static String describe(Object value) {
        if (value instanceof List<?> list) {
            return "a list of " + list.size();
        }
        if (value instanceof Map<?, ?>) {
            return "a map";
        }
        return value == null ? "nothing" : "'" + value + "'";
    }

    private static String known(Set<String> names) {
        return names.isEmpty()
                ? " (none defined)"
                : " (defined: " + String.join(", ", names.stream().sorted().toList()) + ")";
    }

    private TemplateException fail(String element, int line, String problem) {
        return new TemplateException(sourceName, line, element, problem);
    }
}
