package io.github.iottelemetry.template;

import java.util.IdentityHashMap;
import java.util.Map;

/**
 * Remembers the source line of every map and list read from the template. Kept beside the values
 * (keyed by identity) so the values stay plain {@code Map}/{@code List} objects that callers can use
 * without knowing about YAML.
 */
final class SourceLines {

    private final Map<Object, Integer> lineByContainer = new IdentityHashMap<>();
    private final Map<Object, Map<String, Integer>> keyLinesByMap = new IdentityHashMap<>();

    void record(Object container, int line) {
        lineByContainer.put(container, line);
    }

    void recordKeys(Map<String, Object> map, Map<String, Integer> keyLines) {
        keyLinesByMap.put(map, keyLines);
    }

    /** The 1-based line of {@code key} in {@code map}, else the line of the map itself, else 0. */
    int lineOfKey(Object map, String key) {
        Map<String, Integer> keyLines = keyLinesByMap.get(map);
        Integer line = keyLines == null ? null : keyLines.get(key);
        return line == null ? lineOf(map) : line;
    }

    /** The 1-based line where {@code container} starts, or 0 for values that did not come from the file. */
    int lineOf(Object container) {
        Integer line = container == null ? null : lineByContainer.get(container);
        return line == null ? 0 : line;
    }
}
