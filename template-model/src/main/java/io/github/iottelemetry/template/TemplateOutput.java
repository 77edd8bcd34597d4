package io.github.iottelemetry.template;

import java.util.Optional;

/**
 * One entry of the template's {@code Outputs} section, unresolved (intrinsics in long form).
 *
 * @param name the output's logical name
 * @param value the {@code Value}
 * @param description the {@code Description}, if any
 * @param exportName the {@code Export.Name}, if the output is exported
 * @param condition the {@code Condition} that decides whether the output exists, if any
 * @param line the 1-based line of the output in the template
 */
public record TemplateOutput(
        String name,
        Object value,
        Optional<String> description,
        Optional<Object> exportName,
        Optional<String> condition,
        int line) {}
