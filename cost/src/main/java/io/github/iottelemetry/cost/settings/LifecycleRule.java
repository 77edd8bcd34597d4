package io.github.iottelemetry.cost.settings;

import java.util.List;
import java.util.Optional;

/**
 * One enabled lifecycle rule of the data-lake bucket: objects under {@code prefix} (all objects when empty) and,
 * if the rule has a size filter, larger than {@code objectSizeGreaterThan} bytes move to each transition's storage
 * class after its days and are deleted after {@code expirationDays}, if set.
 */
public record LifecycleRule(
        String id,
        Optional<String> prefix,
        Optional<Long> objectSizeGreaterThan,
        List<Transition> transitions,
        Optional<Integer> expirationDays) {

    public LifecycleRule {
        transitions = transitions.stream()
                .sorted(java.util.Comparator.comparingInt(Transition::days))
                .toList();
    }

    /** A move to {@code storageClass} (as CloudFormation spells it, e.g. {@code STANDARD_IA}) after {@code days}. */
    public record Transition(int days, String storageClass) {}

    /** True when the rule covers objects whose key starts with {@code keyPrefix}. */
    public boolean covers(String keyPrefix) {
        return prefix.map(keyPrefix::startsWith).orElse(true);
    }

    /** True when the rule applies to objects of {@code bytes} (S3 compares ObjectSizeGreaterThan strictly). */
    public boolean appliesToSize(double bytes) {
        return objectSizeGreaterThan.map(limit -> bytes > limit).orElse(true);
    }
}
