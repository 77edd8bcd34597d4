package io.github.iottelemetry.processor.output;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The keys a writer has put lately, the most recently written last and at most {@code capacity} of them: a key not
 * among them is most likely new, so the writer may try to create it without reading it first (its conditional write
 * fails if it exists after all). Forgetting a key costs one failed conditional write, never a wrong result.
 */
public final class RecentlyWritten<K> {
    private final Set<K> keys;

    public RecentlyWritten(int capacity) {
        this.keys = Collections.synchronizedSet(Collections.newSetFromMap(new LinkedHashMap<>(256, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<K, Boolean> eldest) {
                return size() > capacity;
            }
        }));
    }

    public boolean contains(K key) {
        return keys.contains(key);
    }

    public void add(K key) {
        keys.add(key);
    }
}
