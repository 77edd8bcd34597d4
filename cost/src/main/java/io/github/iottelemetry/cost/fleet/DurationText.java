package io.github.iottelemetry.cost.fleet;

import io.github.iottelemetry.cost.CostInputException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parses the command line's durations: a positive number and a unit, {@code ms}, {@code s}, {@code m} or {@code h}. */
public final class DurationText {

  private static final Pattern DURATION = Pattern.compile("(\\d+(?:\\.\\d+)?)(ms|s|m|h)");

  private DurationText() {}

  /** Seconds in {@code text}; {@code option} names the option in the error. */
  public static double seconds(String text, String option) {
    Matcher matcher = DURATION.matcher(text == null ? "" : text.trim());
    if (!matcher.matches()) {
      throw new CostInputException(option + " '" + text + "': expected a number and a unit (ms, s, m, h), e.g. 1s, 500ms, 5m");
    }
    double amount = Double.parseDouble(matcher.group(1));
    double seconds = switch (matcher.group(2)) {
      case "ms" -> amount / 1000;
      case "s" -> amount;
      case "m" -> amount * 60;
      default -> amount * 3600;
    };
    if (seconds <= 0) {
      throw new CostInputException(option + " '" + text + "': must be longer than zero");
    }
    return seconds;
  }
}
