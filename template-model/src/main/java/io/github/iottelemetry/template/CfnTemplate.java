package io.github.iottelemetry.template;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A CloudFormation template (YAML or JSON, with or without the SAM transform) as written: parameters,
 * conditions, mappings, resources and outputs, intrinsics in long form ({@code {"Ref": "X"}},
 * {@code {"Fn::Sub": ...}}). Loading checks that every reference points at something that exists.
 * {@link #resolve} turns it into the values a stack would see.
 *
 * <p>SAM {@code Globals} are merged into the matching {@code AWS::Serverless::*} resources at load time
 * with SAM's rules (resource wins for plain values, maps merge key by key, lists are concatenated
 * globals first), so {@link TemplateResource#properties()} shows what SAM would deploy.
 */
public final class CfnTemplate {

    private static final Map<String, String> SAM_GLOBALS_SECTIONS = Map.of(
            "Function", "AWS::Serverless::Function",
            "Api", "AWS::Serverless::Api",
            "HttpApi", "AWS::Serverless::HttpApi",
            "SimpleTable", "AWS::Serverless::SimpleTable",
            "StateMachine", "AWS::Serverless::StateMachine",
            "LayerVersion", "AWS::Serverless::LayerVersion");

    private final String sourceName;
    private final SourceLines lines;
    private final Optional<String> description;
    private final List<String> transforms;
    private final Map<String, TemplateParameter> parameters;
    private final Map<String, Object> mappings;
    private final Map<String, Object> conditions;
    private final Map<String, Object> globals;
    private final Map<String, TemplateResource> resources;
    private final Map<String, TemplateOutput> outputs;

    private CfnTemplate(String sourceName, CfnYamlParser.Parsed parsed) {
        this.sourceName = sourceName;
        this.lines = parsed.lines();
        Map<String, Object> root = parsed.root();
        this.description = Optional.ofNullable(root.get("Description")).map(String::valueOf);
        this.transforms = nameOrNames(root.get("Transform"));
        this.parameters = readParameters(section(root, "Parameters"));
        this.mappings = section(root, "Mappings");
        this.conditions = section(root, "Conditions");
        this.globals = section(root, "Globals");
        this.resources = readResources(section(root, "Resources"));
        this.outputs = readOutputs(section(root, "Outputs"));
        checkReferences(section(root, "Resources"));
    }

    /** Reads and checks the template at {@code path}; messages name the file as given. */
    public static CfnTemplate load(Path path) {
        String text;
        try {
            text = Files.readString(path, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new TemplateException(path.toString(), 0, null, "cannot read the template: " + e, e);
        }
        return load(text, path.toString());
    }

    /**
     * Reads and checks a template given as text.
     *
     * @param text YAML or JSON template body
     * @param sourceName how error messages name the source, usually its file name
     * @throws TemplateException for YAML syntax errors, bad intrinsics, unknown references, and sections
     *     of the wrong shape; the message names the source, line and template element
     */
    public static CfnTemplate load(String text, String sourceName) {
        return new CfnTemplate(sourceName, CfnYamlParser.parse(text, sourceName));
    }

    /** The name error messages use for this template's source. */
    public String sourceName() {
        return sourceName;
    }

    /** The template's {@code Description}, if any. */
    public Optional<String> description() {
        return description;
    }

    /** The {@code Transform} names, such as {@code AWS::Serverless-2016-10-31}. */
    public List<String> transforms() {
        return transforms;
    }

    /** True when the template uses the SAM transform. */
    public boolean isServerless() {
        return transforms.stream().anyMatch(name -> name.startsWith("AWS::Serverless"));
    }

    /** Parameters in template order. */
    public Map<String, TemplateParameter> parameters() {
        return parameters;
    }

    /** The {@code Mappings} section, read-only. */
    public Map<String, Object> mappings() {
        return mappings;
    }

    /** The {@code Conditions} section (condition name to its unevaluated expression), read-only. */
    public Map<String, Object> conditions() {
        return conditions;
    }

    /** The SAM {@code Globals} section as written, read-only (already merged into the resources). */
    public Map<String, Object> globals() {
        return globals;
    }

    /** Resources in template order, by logical id. */
    public Map<String, TemplateResource> resources() {
        return resources;
    }

    /** The resource with {@code logicalId}, if the template has one. */
    public Optional<TemplateResource> resource(String logicalId) {
        return Optional.ofNullable(resources.get(logicalId));
    }

    /** Resources of {@code type} (for example {@code AWS::Glue::Table}) in template order. */
    public List<TemplateResource> resourcesOfType(String type) {
        return resources.values().stream()
                .filter(resource -> resource.type().equals(type))
                .toList();
    }

    /** Outputs in template order. */
    public Map<String, TemplateOutput> outputs() {
        return outputs;
    }

    /**
     * The 1-based source line of a map or list taken from this template (its properties, statements,
     * intrinsic calls), or 0 for values that were not read from the file. Lets callers that check the
     * template point at the offending line.
     */
    public int lineOf(Object mapOrList) {
        return lines.lineOf(mapOrList);
    }

    /**
     * The stack CloudFormation would create with these parameter values, using {@link
     * DefaultResourceResolver} for references to resources.
     *
     * @param parameterValues values for parameters by name; parameters not given take their default
     * @throws TemplateException when a parameter without default is not given, a value is not allowed, or
     *     an intrinsic cannot be evaluated
     */
    public ResolvedTemplate resolve(Map<String, String> parameterValues, PseudoParameters pseudoParameters) {
        return resolve(parameterValues, pseudoParameters, new DefaultResourceResolver());
    }

    /** Like {@link #resolve(Map, PseudoParameters)}, with {@code resourceResolver} for {@code Ref}/{@code Fn::GetAtt} of resources. */
    public ResolvedTemplate resolve(
            Map<String, String> parameterValues, PseudoParameters pseudoParameters, ResourceResolver resourceResolver) {
        return new TemplateEvaluator(this, parameterValues, pseudoParameters, resourceResolver).resolveAll();
    }

    int conditionLine(String name) {
        return lines.lineOfKey(conditions, name);
    }

    TemplateException error(Object nearValue, String element, String problem) {
        return new TemplateException(sourceName, lines.lineOf(nearValue), element, problem);
    }

    TemplateException error(int line, String element, String problem) {
        return new TemplateException(sourceName, line, element, problem);
    }

    private Map<String, Object> section(Map<String, Object> root, String name) {
        Object value = root.get(name);
        if (value == null) {
            return Map.of();
        }
        if (!(value instanceof Map<?, ?>)) {
            throw error(
                    root,
                    null,
                    "section " + name + " must be a mapping, got "
                            + value.getClass().getSimpleName());
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> section = (Map<String, Object>) value;
        return section;
    }

    private Map<String, Object> entry(Map<String, Object> section, String name, String element) {
        Object value = section.get(name);
        if (!(value instanceof Map<?, ?>)) {
            throw error(section, element, "must be a mapping, got " + (value == null ? "nothing" : "'" + value + "'"));
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> map = (Map<String, Object>) value;
        return map;
    }

    /** {@code Transform} and {@code DependsOn} take one name or a list of names. */
    private static List<String> nameOrNames(Object value) {
        if (value == null) {
            return List.of();
        }
        if (value instanceof List<?> list) {
            return list.stream().map(String::valueOf).toList();
        }
        return List.of(String.valueOf(value));
    }

    private Map<String, TemplateParameter> readParameters(Map<String, Object> section) {
        Map<String, TemplateParameter> result = new LinkedHashMap<>();
        for (String name : section.keySet()) {
            String element = "parameter " + name;
            Map<String, Object> definition = entry(section, name, element);
            Object type = definition.get("Type");
            if (!(type instanceof String)) {
                throw error(definition, element, "has no Type");
            }
            List<String> allowed = new ArrayList<>();
            if (definition.get("AllowedValues") instanceof List<?> values) {
                values.forEach(value -> allowed.add(scalarText(value)));
            }
            result.put(
                    name,
                    new TemplateParameter(
                            name,
                            (String) type,
                            Optional.ofNullable(definition.get("Default")).map(CfnTemplate::scalarText),
                            allowed,
                            Optional.ofNullable(definition.get("AllowedPattern"))
                                    .map(String::valueOf),
                            Optional.ofNullable(definition.get("Description")).map(String::valueOf),
                            lines.lineOfKey(section, name)));
        }
        return Collections.unmodifiableMap(result);
    }

    /** Parameter values are strings in CloudFormation; a list default is written comma-joined. */
    private static String scalarText(Object value) {
        if (value instanceof List<?> list) {
            return String.join(",", list.stream().map(String::valueOf).toList());
        }
        return String.valueOf(value);
    }

    private Map<String, TemplateResource> readResources(Map<String, Object> section) {
        if (section.isEmpty()) {
            throw new TemplateException(
                    sourceName, 0, null, "the template has no Resources; CloudFormation needs at least one");
        }
        Map<String, TemplateResource> result = new LinkedHashMap<>();
        for (String logicalId : section.keySet()) {
            String element = "resource " + logicalId;
            Map<String, Object> definition = entry(section, logicalId, element);
            if (!(definition.get("Type") instanceof String type)) {
                throw error(definition, element, "has no Type");
            }
            Map<String, Object> properties = optionalMap(definition, "Properties", element);
            properties = mergeGlobals(type, properties, lines.lineOfKey(section, logicalId));
            Object condition = definition.get("Condition");
            if (condition != null && !(condition instanceof String)) {
                throw error(definition, element, "Condition must be a condition name, got " + condition);
            }
            result.put(
                    logicalId,
                    new TemplateResource(
                            logicalId,
                            type,
                            properties,
                            optionalMap(definition, "Metadata", element),
                            Optional.ofNullable((String) condition),
                            nameOrNames(definition.get("DependsOn")),
                            lines.lineOfKey(section, logicalId)));
        }
        return Collections.unmodifiableMap(result);
    }

    private Map<String, Object> optionalMap(Map<String, Object> definition, String key, String element) {
        Object value = definition.get(key);
        if (value == null) {
            return Map.of();
        }
        if (!(value instanceof Map<?, ?>)) {
            throw error(definition, element, key + " must be a mapping, got '" + value + "'");
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> map = (Map<String, Object>) value;
        return map;
    }

    private Map<String, Object> mergeGlobals(String type, Map<String, Object> properties, int line) {
        for (Map.Entry<String, String> section : SAM_GLOBALS_SECTIONS.entrySet()) {
            if (section.getValue().equals(type) && globals.get(section.getKey()) instanceof Map<?, ?> global) {
                @SuppressWarnings("unchecked")
                Map<String, Object> merged = (Map<String, Object>) mergeSam(global, properties);
                lines.record(merged, lines.lineOf(properties) > 0 ? lines.lineOf(properties) : line);
                return merged;
            }
        }
        return properties;
    }

    /** SAM's merge: maps merge key by key (resource wins), lists are globals then resource, else the resource wins. */
    private Object mergeSam(Object global, Object local) {
        boolean globalIsMap =
                global instanceof Map<?, ?> && Intrinsics.functionName(global).isEmpty();
        boolean localIsMap =
                local instanceof Map<?, ?> && Intrinsics.functionName(local).isEmpty();
        if (globalIsMap && localIsMap) {
            Map<String, Object> merged = new LinkedHashMap<>();
            ((Map<?, ?>) global).forEach((key, value) -> merged.put((String) key, value));
            ((Map<?, ?>) local).forEach((key, value) -> merged.merge((String) key, value, this::mergeSam));
            Map<String, Object> result = Collections.unmodifiableMap(merged);
            lines.record(result, lines.lineOf(local));
            return result;
        }
        if (global instanceof List<?> globalList && local instanceof List<?> localList) {
            List<Object> merged = new ArrayList<>(globalList);
            merged.addAll(localList);
            List<Object> result = Collections.unmodifiableList(merged);
            lines.record(result, lines.lineOf(local));
            return result;
        }
        return local;
    }

    private Map<String, TemplateOutput> readOutputs(Map<String, Object> section) {
        Map<String, TemplateOutput> result = new LinkedHashMap<>();
        for (String name : section.keySet()) {
            String element = "output " + name;
            Map<String, Object> definition = entry(section, name, element);
            if (!definition.containsKey("Value")) {
                throw error(definition, element, "has no Value");
            }
            Optional<Object> exportName = Optional.empty();
            if (definition.get("Export") instanceof Map<?, ?> export) {
                exportName = Optional.ofNullable(export.get("Name"));
            }
            result.put(
                    name,
                    new TemplateOutput(
                            name,
                            definition.get("Value"),
                            Optional.ofNullable(definition.get("Description")).map(String::valueOf),
                            exportName,
                            Optional.ofNullable(definition.get("Condition")).map(String::valueOf),
                            lines.lineOfKey(section, name)));
        }
        return Collections.unmodifiableMap(result);
    }

    private void checkReferences(Map<String, Object> resourcesSection) {
        ReferenceCheck check = new ReferenceCheck(
                sourceName,
                lines,
                parameters.keySet(),
                referenceableResources(),
                conditions.keySet(),
                mappings.keySet());
        conditions.forEach(
                (name, expression) -> check.check(expression, "condition " + name, lines.lineOfKey(conditions, name)));
        for (TemplateResource resource : resources.values()) {
            String element = "resource " + resource.logicalId();
            Object definition = resourcesSection.get(resource.logicalId());
            resource.condition()
                    .ifPresent(
                            name -> check.checkConditionName(name, element, lines.lineOfKey(definition, "Condition")));
            for (String dependency : resource.dependsOn()) {
                check.checkResourceName(dependency, element, lines.lineOfKey(definition, "DependsOn"), "DependsOn");
            }
            check.check(resource.properties(), element, resource.line());
            check.check(resource.metadata(), element, resource.line());
        }
        for (TemplateOutput output : outputs.values()) {
            String element = "output " + output.name();
            output.condition().ifPresent(name -> check.checkConditionName(name, element, output.line()));
            check.check(output.value(), element, output.line());
            output.exportName().ifPresent(name -> check.check(name, element, output.line()));
        }
    }

    /**
     * Logical ids a reference may name: the template's resources plus those the SAM transform generates
     * that templates commonly refer to (a function's execution role {@code <Function>Role} when no
     * {@code Role} is given, and one resource per event, {@code <Function><EventName>}).
     */
    private Set<String> referenceableResources() {
        Set<String> ids = new LinkedHashSet<>(resources.keySet());
        for (TemplateResource resource : resources.values()) {
            if (!resource.type().equals("AWS::Serverless::Function")) {
                continue;
            }
            if (!resource.properties().containsKey("Role")) {
                ids.add(resource.logicalId() + "Role");
            }
            if (resource.properties().get("Events") instanceof Map<?, ?> events) {
                events.keySet().forEach(event -> ids.add(resource.logicalId() + event));
            }
        }
        return Collections.unmodifiableSet(ids);
    }
}
