package io.github.iottelemetry.template;

import java.util.List;
import java.util.Optional;

/**
 * One entry of the template's {@code Parameters} section.
 *
 * @param name the parameter's logical name
 * @param type the CloudFormation type, such as {@code String}, {@code Number} or {@code CommaDelimitedList}
 * @param defaultValue the {@code Default}, as CloudFormation sees it (a string; lists comma-joined)
 * @param allowedValues the {@code AllowedValues}, empty when any value is allowed
 * @param allowedPattern the {@code AllowedPattern} regular expression, if any
 * @param description the {@code Description}, if any
 * @param line the 1-based line of the parameter in the template
 */
public record TemplateParameter(
        String name,
        String type,
        Optional<String> defaultValue,
        List<String> allowedValues,
        Optional<String> allowedPattern,
        Optional<String> description,
        int line) {

    public TemplateParameter {
        allowedValues = List.copyOf(allowedValues);
    }

    /** True for the list types, whose value {@code Ref} returns as a list split at commas. */
    public boolean isList() {
        return type.equals("CommaDelimitedList") || type.startsWith("List<");
    }
}
