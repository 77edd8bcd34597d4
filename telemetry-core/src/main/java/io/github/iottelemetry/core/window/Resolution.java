package io.github.iottelemetry.core.window;

import java.util.ArrayList;
import java.util.List;

/**
 * A tumbling-window size. Windows are epoch-aligned in UTC: the window of timestamp {@code ts} is
 * {@code [floor(ts / size) * size, that + size)}, start inclusive, end exclusive, so every reading
 * belongs to exactly one window per resolution and windows of different workers line up.
 *
 * <p>Written as a whole number and a unit: {@code 30s}, {@code 1m}, {@code 5m}, {@code 1h}, {@code 1d}.
 */
public record Resolution(String label, long millis) {
    private static final long MAX_MILLIS = 7L * 24 * 3600 * 1000;

    public Resolution {
        if (millis <= 0 || millis > MAX_MILLIS) {
            throw new IllegalArgumentException("resolution " + label + ": must be between 1s and 7d");
        }
        if (86_400_000L % millis != 0 && millis % 86_400_000L != 0) {
            throw new IllegalArgumentException("resolution " + label
                    + ": must divide a day evenly (or be whole days) so that windows align across days");
        }
    }

    public static final Resolution ONE_MINUTE = parse("1m");

    /** Parses {@code <n><unit>} with unit s, m, h or d; the error names the text and what is expected. */
    public static Resolution parse(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException(
                    "resolution is empty: expected a whole number and a unit (s, m, h, d), e.g. 1m");
        }
        String s = text.trim();
        char unit = s.charAt(s.length() - 1);
        long unitMillis = switch (unit) {
            case 's' -> 1_000L;
            case 'm' -> 60_000L;
            case 'h' -> 3_600_000L;
            case 'd' -> 86_400_000L;
            default ->
                throw new IllegalArgumentException("resolution \"" + text + "\": unknown unit '" + unit
                        + "', expected s, m, h or d (e.g. 1m, 5m, 1h)");
        };
        String digits = s.substring(0, s.length() - 1);
        long n;
        try {
            n = Long.parseLong(digits);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(
                    "resolution \"" + text + "\": \"" + digits + "\" is not a whole number (e.g. 1m, 5m, 1h)");
        }
        if (n <= 0) {
            throw new IllegalArgumentException("resolution \"" + text + "\": must be positive");
        }
        if (n > MAX_MILLIS / unitMillis) {
            throw new IllegalArgumentException("resolution \"" + text + "\": must be between 1s and 7d");
        }
        return new Resolution(n + String.valueOf(unit), n * unitMillis);
    }

    /** Parses a comma-separated list such as {@code 1m,1h}; duplicates are an error. */
    public static List<Resolution> parseList(String text) {
        List<Resolution> out = new ArrayList<>();
        for (String part : text.split(",")) {
            Resolution r = parse(part);
            for (Resolution seen : out) {
                if (seen.millis == r.millis) {
                    throw new IllegalArgumentException("resolutions \"" + text + "\": " + seen.label + " and " + r.label
                            + " are the same window size");
                }
            }
            out.add(r);
        }
        return List.copyOf(out);
    }

    public long windowStart(long ts) {
        return Math.floorDiv(ts, millis) * millis;
    }

    public long windowEnd(long ts) {
        return windowStart(ts) + millis;
    }

    @Override
    public String toString() {
        return label;
    }
}
