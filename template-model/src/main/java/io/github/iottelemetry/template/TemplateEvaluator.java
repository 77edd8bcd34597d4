package io.github.iottelemetry.template;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Evaluates a template's intrinsics for one set of parameter values. Conditions and resources are
 * resolved on demand (a {@code Ref} to a resource needs its resolved properties, for example its
 * {@code TableName}), memoised, with cycles reported.
 */
final class TemplateEvaluator {

    /** Stands for {@code AWS::NoValue}: the enclosing property or list item disappears. */
    private static final Object NO_VALUE = new Object();

    private static final Pattern SUB_LITERAL_OR_VARIABLE =
            Pattern.compile("\\$\\{!([^}]*)}|" + Intrinsics.subVariablePattern().pattern());

    private final CfnTemplate template;
    private final PseudoParameters pseudo;
    private final ResourceResolver resourceResolver;
    private final Map<String, Object> parameterValues = new LinkedHashMap<>();
    private final Map<String, Boolean> conditionValues = new LinkedHashMap<>();
    private final Set<String> conditionsInProgress = new HashSet<>();
    private final Map<String, ResolvedResource> resolvedResources = new LinkedHashMap<>();
    private final Set<String> resourcesInProgress = new HashSet<>();

    TemplateEvaluator(
            CfnTemplate template,
            Map<String, String> givenValues,
            PseudoParameters pseudo,
            ResourceResolver resourceResolver) {
        this.template = template;
        this.pseudo = pseudo;
        this.resourceResolver = resourceResolver;
        readParameterValues(givenValues);
    }

    ResolvedTemplate resolveAll() {
        template.conditions().keySet().forEach(name -> condition(name, null, template.conditionLine(name)));
        Map<String, ResolvedResource> resources = new LinkedHashMap<>();
        for (TemplateResource resource : template.resources().values()) {
            if (exists(resource)) {
                resources.put(resource.logicalId(), resolvedResource(resource.logicalId(), null, resource.line()));
            }
        }
        Map<String, Object> outputs = new LinkedHashMap<>();
        for (TemplateOutput output : template.outputs().values()) {
            boolean present = output.condition()
                    .map(name -> condition(name, "output " + output.name(), output.line()))
                    .orElse(true);
            if (present) {
                outputs.put(output.name(), evaluate(output.value(), "output " + output.name(), output.line()));
            }
        }
        return new ResolvedTemplate(
                template,
                pseudo,
                parameterValues,
                conditionValues,
                Collections.unmodifiableMap(resources),
                Collections.unmodifiableMap(outputs),
                resourceResolver);
    }

    // ---- parameters ---------------------------------------------------------------------------

    private void readParameterValues(Map<String, String> givenValues) {
        for (String name : givenValues.keySet()) {
            if (!template.parameters().containsKey(name)) {
                throw template.error(
                        0,
                        "parameter " + name,
                        "a value was given but the template has no such parameter" + " (parameters: "
                                + String.join(", ", template.parameters().keySet()) + ")");
            }
        }
        for (TemplateParameter parameter : template.parameters().values()) {
            String element = "parameter " + parameter.name();
            String value = givenValues.containsKey(parameter.name())
                    ? givenValues.get(parameter.name())
                    : parameter
                            .defaultValue()
                            .orElseThrow(() -> template.error(
                                    parameter.line(),
                                    element,
                                    "has no Default and no value was given; pass one as " + parameter.name() + "=..."));
            List<String> items = parameter.isList() ? splitList(value) : List.of(value);
            for (String item : items) {
                checkAllowed(parameter, item, element);
            }
            parameterValues.put(parameter.name(), parameter.isList() ? items : value);
        }
    }

    private static List<String> splitList(String value) {
        if (value.isEmpty()) {
            return List.of();
        }
        return List.of(value.split(",", -1)).stream().map(String::strip).toList();
    }

    private void checkAllowed(TemplateParameter parameter, String value, String element) {
        if (!parameter.allowedValues().isEmpty() && !parameter.allowedValues().contains(value)) {
            throw template.error(
                    parameter.line(),
                    element,
                    "value '" + value + "' is not one of AllowedValues " + parameter.allowedValues());
        }
        if (parameter.type().equals("Number") || parameter.type().equals("List<Number>")) {
            try {
                Double.parseDouble(value);
            } catch (NumberFormatException e) {
                throw template.error(parameter.line(), element, "value '" + value + "' is not a Number");
            }
        }
        if (parameter.allowedPattern().isPresent()) {
            String pattern = parameter.allowedPattern().get();
            try {
                if (!Pattern.compile(pattern).matcher(value).matches()) {
                    throw template.error(
                            parameter.line(),
                            element,
                            "value '" + value + "' does not match AllowedPattern " + pattern);
                }
            } catch (PatternSyntaxException e) {
                throw template.error(
                        parameter.line(),
                        element,
                        "AllowedPattern is not a valid regular expression: " + e.getDescription());
            }
        }
    }

    // ---- conditions and resources ---------------------------------------------------------------

    private boolean condition(String name, String usedBy, int line) {
        Boolean known = conditionValues.get(name);
        if (known != null) {
            return known;
        }
        String element = "condition " + name;
        int definitionLine = template.conditionLine(name);
        if (!conditionsInProgress.add(name)) {
            throw template.error(definitionLine, element, "is defined in terms of itself");
        }
        Object value = evaluate(template.conditions().get(name), element, definitionLine);
        conditionsInProgress.remove(name);
        if (!(value instanceof Boolean result)) {
            throw template.error(
                    line,
                    usedBy == null ? element : usedBy,
                    "condition " + name + " must evaluate to true or false, got " + value);
        }
        conditionValues.put(name, result);
        return result;
    }

    private boolean exists(TemplateResource resource) {
        return resource.condition()
                .map(name -> condition(name, "resource " + resource.logicalId(), resource.line()))
                .orElse(true);
    }

    /**
     * The resolved resource {@code logicalId}, or empty for ids that only exist after the SAM transform
     * (such as a function's generated role), which the resolver cannot describe.
     */
    private ResolvedResource resolvedResource(String logicalId, String usedBy, int line) {
        ResolvedResource done = resolvedResources.get(logicalId);
        if (done != null) {
            return done;
        }
        TemplateResource resource = template.resources().get(logicalId);
        if (resource == null) {
            return null;
        }
        if (!exists(resource)) {
            throw template.error(
                    line,
                    usedBy,
                    "refers to resource " + logicalId + ", which is not created because its" + " condition "
                            + resource.condition().orElseThrow() + " is false; guard the reference with Fn::If");
        }
        String element = "resource " + logicalId;
        if (!resourcesInProgress.add(logicalId)) {
            throw template.error(
                    resource.line(),
                    element,
                    "circular reference: its properties refer back to itself" + " (through "
                            + String.join(" -> ", resourcesInProgress) + ")");
        }
        ResolvedResource resolved = new ResolvedResource(
                logicalId,
                resource.type(),
                evaluateMap(resource.properties(), element, resource.line()),
                evaluateMap(resource.metadata(), element, resource.line()),
                resource.line());
        resourcesInProgress.remove(logicalId);
        resolvedResources.put(logicalId, resolved);
        return resolved;
    }

    // ---- evaluation ---------------------------------------------------------------------------

    private Map<String, Object> evaluateMap(Map<String, Object> map, String element, int line) {
        Object value = evaluate(map, element, line);
        @SuppressWarnings("unchecked")
        Map<String, Object> result = value instanceof Map<?, ?> ? (Map<String, Object>) value : Map.of();
        return result;
    }

    private Object evaluate(Object value, String element, int enclosingLine) {
        int line = template.lineOf(value) > 0 ? template.lineOf(value) : enclosingLine;
        if (value instanceof Map<?, ?> map) {
            Optional<String> function = Intrinsics.functionName(value);
            if (function.isPresent()) {
                return call(function.get(), Intrinsics.argument(value), element, line);
            }
            Map<String, Object> result = new LinkedHashMap<>();
            for (Map.Entry<?, ?> entry : map.entrySet()) {
                Object child = evaluate(entry.getValue(), element, line);
                if (child != NO_VALUE) {
                    result.put((String) entry.getKey(), child);
                }
            }
            return Collections.unmodifiableMap(result);
        }
        if (value instanceof List<?> list) {
            List<Object> result = new ArrayList<>(list.size());
            for (Object item : list) {
                Object child = evaluate(item, element, line);
                if (child != NO_VALUE) {
                    result.add(child);
                }
            }
            return Collections.unmodifiableList(result);
        }
        return value;
    }

    private Object call(String function, Object argument, String element, int line) {
        switch (function) {
            case Intrinsics.REF:
                return ref((String) argument, element, line);
            case Intrinsics.CONDITION:
                return condition((String) argument, element, line);
            case "Fn::If": {
                List<?> args = (List<?>) argument;
                boolean holds = condition((String) args.get(0), element, line);
                return evaluate(args.get(holds ? 1 : 2), element, line);
            }
            case "Fn::Equals": {
                List<?> args = evaluateList(argument, element, line);
                if (!isResolved(args)) {
                    return unresolved(function, args);
                }
                return comparable(args.get(0)).equals(comparable(args.get(1)));
            }
            case "Fn::Not": {
                return !bool(evaluateList(argument, element, line).get(0), function, element, line);
            }
            case "Fn::And": {
                boolean all = true;
                for (Object item : evaluateList(argument, element, line)) {
                    all &= bool(item, function, element, line);
                }
                return all;
            }
            case "Fn::Or": {
                boolean any = false;
                for (Object item : evaluateList(argument, element, line)) {
                    any |= bool(item, function, element, line);
                }
                return any;
            }
            case "Fn::Sub":
                return sub(argument, element, line);
            case "Fn::GetAtt":
                return getAtt(argument, element, line);
            case "Fn::Join":
                return join(evaluateList(argument, element, line), element, line);
            case "Fn::Select":
                return select(evaluateList(argument, element, line), element, line);
            case "Fn::Split": {
                List<?> args = evaluateList(argument, element, line);
                if (!isResolved(args)) {
                    return unresolved(function, args);
                }
                String source = text(args.get(1), "Fn::Split source", element, line);
                return List.of(source.split(Pattern.quote((String) args.get(0)), -1));
            }
            case "Fn::FindInMap":
                return findInMap(evaluateList(argument, element, line), element, line);
            case "Fn::Base64": {
                Object value = evaluate(argument, element, line);
                if (!isResolved(value)) {
                    return unresolved(function, value);
                }
                String plain = text(value, "Fn::Base64 argument", element, line);
                return Base64.getEncoder().encodeToString(plain.getBytes(StandardCharsets.UTF_8));
            }
            case "Fn::GetAZs": {
                Object region = evaluate(argument, element, line);
                String name = region == null || "".equals(region) ? pseudo.region() : String.valueOf(region);
                return List.of(name + "a", name + "b", name + "c");
            }
            case "Fn::ImportValue": {
                Object name = evaluate(argument, element, line);
                Optional<Object> imported =
                        isResolved(name) ? resourceResolver.importValue(String.valueOf(name)) : Optional.empty();
                return imported.orElseGet(() -> unresolved(function, name));
            }
            case "Fn::Cidr":
                return cidr(evaluateList(argument, element, line), element, line);
            default:
                return unresolved(function, evaluate(argument, element, line));
        }
    }

    private List<?> evaluateList(Object argument, String element, int line) {
        Object value = evaluate(argument, element, line);
        if (!(value instanceof List<?> list)) {
            throw template.error(line, element, "expected a list of arguments, got " + value);
        }
        return list;
    }

    private Object ref(String target, String element, int line) {
        if (target.equals("AWS::NoValue")) {
            return NO_VALUE;
        }
        if (PseudoParameters.NAMES.contains(target)) {
            return pseudo.valueOf(target);
        }
        if (parameterValues.containsKey(target)) {
            return parameterValues.get(target);
        }
        ResolvedResource resource = resolvedResource(target, element, line);
        Optional<Object> value = resource == null ? Optional.empty() : resourceResolver.ref(resource, pseudo);
        return value.orElseGet(() -> unresolved(Intrinsics.REF, target));
    }

    private Object getAtt(Object argument, String element, int line) {
        String logicalId;
        Object attribute;
        if (argument instanceof String dotted) {
            int dot = dotted.indexOf('.');
            logicalId = dotted.substring(0, dot);
            attribute = dotted.substring(dot + 1);
        } else {
            List<?> args = (List<?>) argument;
            logicalId = (String) args.get(0);
            attribute = evaluate(args.get(1), element, line);
        }
        ResolvedResource resource = resolvedResource(logicalId, element, line);
        Optional<Object> value = resource == null || !(attribute instanceof String name)
                ? Optional.empty()
                : resourceResolver.attribute(resource, name, pseudo);
        return value.orElseGet(() -> unresolved("Fn::GetAtt", List.of(logicalId, attribute)));
    }

    /**
     * Substitutes every variable it can. When one stays unresolved the result is still an {@code Fn::Sub}
     * whose string has the resolved parts filled in and the rest left as {@code ${...}}.
     */
    private Object sub(Object argument, String element, int line) {
        String template;
        Map<String, Object> variables = new LinkedHashMap<>();
        if (argument instanceof String text) {
            template = text;
        } else {
            List<?> args = (List<?>) argument;
            template = (String) args.get(0);
            ((Map<?, ?>) args.get(1))
                    .forEach((name, value) -> variables.put((String) name, evaluate(value, element, line)));
        }
        Matcher matcher = SUB_LITERAL_OR_VARIABLE.matcher(template);
        StringBuilder resolved = new StringBuilder();
        StringBuilder partial = new StringBuilder();
        boolean complete = true;
        int end = 0;
        while (matcher.find()) {
            resolved.append(template, end, matcher.start());
            partial.append(template, end, matcher.start());
            end = matcher.end();
            if (matcher.group(1) != null) { // ${!Literal} stands for the text ${Literal}
                resolved.append("${").append(matcher.group(1)).append('}');
                partial.append(matcher.group());
                continue;
            }
            Object value = subVariable(matcher.group(2).strip(), variables, element, line);
            if (isResolved(value)) {
                String text = value instanceof List<?> list
                        ? joinText(list, ",", element, line)
                        : text(value, "Fn::Sub variable ${" + matcher.group(2) + "}", element, line);
                resolved.append(text);
                partial.append(text.replace("${", "${!"));
            } else {
                complete = false;
                partial.append(matcher.group());
            }
        }
        resolved.append(template.substring(end));
        partial.append(template.substring(end));
        if (complete) {
            return resolved.toString();
        }
        Map<String, Object> unresolvedVariables = new LinkedHashMap<>();
        variables.forEach((name, value) -> {
            if (!isResolved(value)) {
                unresolvedVariables.put(name, value);
            }
        });
        return unresolved(
                "Fn::Sub",
                unresolvedVariables.isEmpty()
                        ? partial.toString()
                        : List.of(partial.toString(), Collections.unmodifiableMap(unresolvedVariables)));
    }

    private Object subVariable(String name, Map<String, Object> variables, String element, int line) {
        if (variables.containsKey(name)) {
            return variables.get(name);
        }
        if (PseudoParameters.NAMES.contains(name)
                || parameterValues.containsKey(name)
                || template.resources().containsKey(name)) {
            return ref(name, element, line);
        }
        int dot = name.indexOf('.');
        return getAtt(List.of(name.substring(0, dot), name.substring(dot + 1)), element, line);
    }

    private Object join(List<?> args, String element, int line) {
        if (!isResolved(args)) {
            return unresolved("Fn::Join", args);
        }
        if (!(args.get(1) instanceof List<?> values)) {
            throw template.error(line, element, "Fn::Join values must be a list, got " + args.get(1));
        }
        return joinText(values, String.valueOf(args.get(0)), element, line);
    }

    private String joinText(List<?> values, String delimiter, String element, int line) {
        List<String> parts = new ArrayList<>(values.size());
        for (Object value : values) {
            parts.add(text(value, "Fn::Join item", element, line));
        }
        return String.join(delimiter, parts);
    }

    private Object select(List<?> args, String element, int line) {
        if (!isResolved(args.get(0)) || !(args.get(1) instanceof List<?> values)) {
            return unresolved("Fn::Select", args);
        }
        int index;
        try {
            index = Integer.parseInt(String.valueOf(args.get(0)));
        } catch (NumberFormatException e) {
            throw template.error(line, element, "Fn::Select index must be a number, got " + args.get(0));
        }
        if (index < 0 || index >= values.size()) {
            throw template.error(
                    line,
                    element,
                    "Fn::Select index " + index + " is outside the list of " + values.size() + " " + values);
        }
        return values.get(index);
    }

    private Object findInMap(List<?> args, String element, int line) {
        if (!isResolved(args.subList(0, 3))) {
            return unresolved("Fn::FindInMap", args);
        }
        Object value = template.mappings();
        for (Object key : args.subList(0, 3)) {
            value = value instanceof Map<?, ?> map ? map.get(String.valueOf(key)) : null;
        }
        if (value != null) {
            return value;
        }
        if (args.size() == 4 && args.get(3) instanceof Map<?, ?> options && options.containsKey("DefaultValue")) {
            return options.get("DefaultValue");
        }
        throw template.error(line, element, "Fn::FindInMap " + args.subList(0, 3) + " finds no value in Mappings");
    }

    /** IPv4 {@code Fn::Cidr}: {@code count} consecutive blocks with {@code cidrBits} host bits each. */
    private Object cidr(List<?> args, String element, int line) {
        if (!isResolved(args) || !String.valueOf(args.get(0)).contains(".")) {
            return unresolved("Fn::Cidr", args); // IPv6 blocks are left to CloudFormation
        }
        try {
            String[] block = String.valueOf(args.get(0)).split("/");
            long base = 0;
            for (String octet : block[0].split("\\.")) {
                base = (base << 8) | Integer.parseInt(octet);
            }
            int count = Integer.parseInt(String.valueOf(args.get(1)));
            int hostBits = Integer.parseInt(String.valueOf(args.get(2)));
            int prefix = Integer.parseInt(block[1]);
            if (32 - hostBits < prefix || count > (1L << (32 - hostBits - prefix))) {
                throw template.error(
                        line,
                        element,
                        "Fn::Cidr cannot cut " + count + " blocks of " + hostBits + " host bits from " + args.get(0));
            }
            List<String> blocks = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                long start = base + ((long) i << hostBits);
                blocks.add(((start >> 24) & 255) + "." + ((start >> 16) & 255) + "." + ((start >> 8) & 255) + "."
                        + (start & 255) + "/" + (32 - hostBits));
            }
            return blocks;
        } catch (RuntimeException e) {
            if (e instanceof TemplateException templateException) {
                throw templateException;
            }
            throw template.error(line, element, "Fn::Cidr arguments " + args + " are not [ipv4Block, count, cidrBits]");
        }
    }

    private boolean bool(Object value, String function, String element, int line) {
        if (value instanceof Boolean b) {
            return b;
        }
        if ("true".equals(value) || "false".equals(value)) {
            return Boolean.parseBoolean((String) value);
        }
        throw template.error(line, element, function + " needs conditions (true or false), got " + value);
    }

    private String text(Object value, String what, String element, int line) {
        if (value instanceof String || value instanceof Number || value instanceof Boolean) {
            return String.valueOf(value);
        }
        throw template.error(line, element, what + " must be a plain value, got " + value);
    }

    /** CloudFormation compares {@code 1} and {@code "1"} as equal: everything is a string to it. */
    private static Object comparable(Object value) {
        if (value instanceof List<?> list) {
            return list.stream().map(TemplateEvaluator::comparable).toList();
        }
        return value instanceof Map<?, ?> ? value : String.valueOf(value);
    }

    private static Map<String, Object> unresolved(String function, Object argument) {
        return Collections.singletonMap(function, argument);
    }

    /** True when {@code value} holds no intrinsic call that is still to be evaluated. */
    static boolean isResolved(Object value) {
        if (Intrinsics.functionName(value).isPresent()) {
            return false;
        }
        if (value instanceof Map<?, ?> map) {
            return map.values().stream().allMatch(TemplateEvaluator::isResolved);
        }
        if (value instanceof List<?> list) {
            return list.stream().allMatch(TemplateEvaluator::isResolved);
        }
        return true;
    }
}
