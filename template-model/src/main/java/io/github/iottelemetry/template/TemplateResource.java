package io.github.iottelemetry.template;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One entry of the template's {@code Resources} section, unresolved (intrinsics in long form). For
 * SAM resources the matching {@code Globals} section is already merged into {@link #properties()}.
 *
 * @param logicalId the resource's logical id
 * @param type the resource type, such as {@code AWS::Kinesis::Stream}
 * @param properties the {@code Properties}, read-only
 * @param metadata the {@code Metadata}, read-only (for example SAM's {@code BuildMethod})
 * @param condition the {@code Condition} that decides whether the resource exists, if any
 * @param dependsOn the logical ids in {@code DependsOn}
 * @param line the 1-based line of the resource in the template
 */
public record TemplateResource(
        String logicalId,
        String type,
        Map<String, Object> properties,
        Map<String, Object> metadata,
        Optional<String> condition,
        List<String> dependsOn,
        int line) {

    public TemplateResource {
        dependsOn = List.copyOf(dependsOn);
    }

    /** The property at a nested path, such as {@code property("Environment", "Variables")}. */
    public Optional<Object> property(String... path) {
        return PropertyPath.find(properties, List.of(path));
    }
}
