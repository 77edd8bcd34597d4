package io.github.iottelemetry.template;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The stack a template describes for one set of parameter values: conditions decided, resources whose
 * condition is false left out, intrinsics evaluated. Built by {@link CfnTemplate#resolve}.
 */
public final class ResolvedTemplate {

    private final CfnTemplate template;
    private final PseudoParameters pseudoParameters;
    private final Map<String, Object> parameterValues;
    private final Map<String, Boolean> conditions;
    private final Map<String, ResolvedResource> resources;
    private final Map<String, Object> outputs;
    private final ResourceResolver resourceResolver;

    ResolvedTemplate(
            CfnTemplate template,
            PseudoParameters pseudoParameters,
            Map<String, Object> parameterValues,
            Map<String, Boolean> conditions,
            Map<String, ResolvedResource> resources,
            Map<String, Object> outputs,
            ResourceResolver resourceResolver) {
        this.template = template;
        this.pseudoParameters = pseudoParameters;
        this.parameterValues = Map.copyOf(parameterValues);
        this.conditions = Map.copyOf(conditions);
        this.resources = resources;
        this.outputs = outputs;
        this.resourceResolver = resourceResolver;
    }

    /** The template this view was resolved from. */
    public CfnTemplate template() {
        return template;
    }

    /** The pseudo parameter values used. */
    public PseudoParameters pseudoParameters() {
        return pseudoParameters;
    }

    /**
     * Every parameter's effective value: a {@code String}, or a {@code List<String>} for list types
     * (what {@code Ref} to the parameter returns).
     */
    public Map<String, Object> parameterValues() {
        return parameterValues;
    }

    /** Every condition by name, evaluated. */
    public Map<String, Boolean> conditions() {
        return conditions;
    }

    /** True when condition {@code name} holds. */
    public boolean condition(String name) {
        Boolean value = conditions.get(name);
        if (value == null) {
            throw new IllegalArgumentException(
                    "no condition '" + name + "' in " + template.sourceName() + "; conditions: " + conditions.keySet());
        }
        return value;
    }

    /** Resources that the stack would create, in template order, by logical id. */
    public Map<String, ResolvedResource> resources() {
        return resources;
    }

    /** The resource with {@code logicalId} if the stack would create it. */
    public Optional<ResolvedResource> resource(String logicalId) {
        return Optional.ofNullable(resources.get(logicalId));
    }

    /** Resources of {@code type} that the stack would create, in template order. */
    public List<ResolvedResource> resourcesOfType(String type) {
        return resources.values().stream()
                .filter(resource -> resource.type().equals(type))
                .toList();
    }

    /** Output values by name, for outputs whose condition holds. */
    public Map<String, Object> outputs() {
        return outputs;
    }

    /** What {@code Ref} to resource {@code logicalId} returns, as decided by the resource resolver. */
    public Optional<Object> ref(String logicalId) {
        return resource(logicalId).flatMap(resource -> resourceResolver.ref(resource, pseudoParameters));
    }

    /** What {@code Fn::GetAtt} of resource {@code logicalId} returns, as decided by the resource resolver. */
    public Optional<Object> attribute(String logicalId, String attribute) {
        return resource(logicalId)
                .flatMap(resource -> resourceResolver.attribute(resource, attribute, pseudoParameters));
    }
}
