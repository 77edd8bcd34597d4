package io.github.iottelemetry.cost.estimate;

/**
 * A setting or rate compared with an AWS limit.
 *
 * @param name what is compared
 * @param value the pipeline's figure
 * @param limit the limit's figure
 * @param ok false when the setting would hit the limit (a warning)
 * @param message the comparison in words, and what to do when it is not ok
 * @param source where the limit is documented
 */
public record CapacityCheck(String name, double value, double limit, boolean ok, String message, String source) {}
