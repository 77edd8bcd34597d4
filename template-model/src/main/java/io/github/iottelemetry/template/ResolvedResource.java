package io.github.iottelemetry.template;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A resource as the stack would create it: its condition held, its properties have parameters,
 * conditions and pseudo parameters substituted and SAM Globals merged. Values that need a deployed
 * resource and that the {@link ResourceResolver} could not supply stay as long-form intrinsic calls.
 *
 * @param logicalId the resource's logical id
 * @param type the resource type
 * @param properties the resolved {@code Properties}, read-only
 * @param metadata the resolved {@code Metadata}, read-only
 * @param line the 1-based line of the resource in the template
 */
public record ResolvedResource(
        String logicalId, String type, Map<String, Object> properties, Map<String, Object> metadata, int line) {

    /** The property at a nested path, such as {@code property("Environment", "Variables", "STREAM_NAME")}. */
    public Optional<Object> property(String... path) {
        return PropertyPath.find(properties, List.of(path));
    }

    /** The property at a nested path if it resolved to a string (not a map, list or unresolved call). */
    public Optional<String> stringProperty(String... path) {
        return property(path).filter(String.class::isInstance).map(String.class::cast);
    }
}
