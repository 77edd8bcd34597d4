package io.github.iottelemetry.core.text;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Durations as every command line of the project writes them: a number and a unit, {@code ms}, {@code s}, {@code m}
 * or {@code h} ({@code 500ms}, {@code 90s}, {@code 1.5m}, {@code 2h}).
 */
public final class DurationText {

    private static final Pattern DURATION = Pattern.compile("(\\d+(?:\\.\\d+)?)(ms|s|m|h)");

    private DurationText() {}

    /**
     * @param option the option the text came from, for the error message
     * @throws IllegalArgumentException naming the option and the text when it is not a duration
     */
    public static Duration parse(String text, String option) {
        Matcher matcher = DURATION.matcher(text == null ? "" : text.strip());
        if (!matcher.matches()) {
            throw new IllegalArgumentException(
                    option + " '" + text + "': use a number and a unit (ms, s, m or h), like 90s or 10m");
        }
        BigDecimal amount = new BigDecimal(matcher.group(1));
        BigDecimal millis = switch (matcher.group(2)) {
            case "ms" -> amount;
            case "s" -> amount.movePointRight(3);
            case "m" -> amount.multiply(BigDecimal.valueOf(60_000));
            default -> amount.multiply(BigDecimal.valueOf(3_600_000));
        };
        return Duration.ofMillis(millis.longValue());
    }
}
