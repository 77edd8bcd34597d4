package io.github.iottelemetry.cost.settings;

import java.util.List;
import java.util.Optional;

/**
 * One enabled lifecycle rule of the data-lake bucket: objects under {@code prefix} (all objects when empty) move
 * to each transition's storage class after its days and are deleted after {@code expirationDays}, if set.
 */
public record LifecycleRule(String id, Optional<String> prefix, List<Transition> transitions, Optional<Integer> expirationDays) {

  public LifecycleRule {
    transitions = transitions.stream().sorted(java.util.Comparator.comparingInt(Transition::days)).toList();
  }

  /** A move to {@code storageClass} (as CloudFormation spells it, e.g. {@code STANDARD_IA}) after {@code days}. */
  public record Transition(int days, String storageClass) {}

  /** True when the rule covers objects whose key starts with {@code keyPrefix}. */
  public boolean covers(String keyPrefix) {
    return prefix.map(keyPrefix::startsWith).orElse(true);
  }
}
