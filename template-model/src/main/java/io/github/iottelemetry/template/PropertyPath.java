package io.github.iottelemetry.template;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Walks nested property maps by key, so callers can read {@code Environment.Variables.X} in one call. */
final class PropertyPath {

    private PropertyPath() {}

    static Optional<Object> find(Map<String, Object> properties, List<String> path) {
        Object current = properties;
        for (String key : path) {
            if (!(current instanceof Map<?, ?> map) || !map.containsKey(key)) {
                return Optional.empty();
            }
            current = map.get(key);
        }
        return Optional.ofNullable(current);
    }
}
