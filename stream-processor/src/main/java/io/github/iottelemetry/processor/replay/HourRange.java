package io.github.iottelemetry.processor.replay;

import io.github.iottelemetry.core.lake.LakeLayout;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

/**
 * A range of UTC hours, both ends included: the raw zone's partitions {@code raw/dt=YYYY-MM-DD/hour=HH/},
 * whose hour is the IoT ingest time of the records in it.
 */
public record HourRange(Instant first, Instant last) {
    private static final DateTimeFormatter HOUR = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH");
    private static final DateTimeFormatter DT =
            DateTimeFormatter.ofPattern("uuuu-MM-dd").withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter HH =
            DateTimeFormatter.ofPattern("HH").withZone(ZoneOffset.UTC);

    public HourRange {
        if (!first.truncatedTo(ChronoUnit.HOURS).equals(first)
                || !last.truncatedTo(ChronoUnit.HOURS).equals(last)) {
            throw new IllegalArgumentException(
                    "hour range " + first + " .. " + last + ": both ends must be whole hours");
        }
        if (last.isBefore(first)) {
            throw new IllegalArgumentException(
                    "hour range: the last hour " + format(last) + " is before the first " + format(first));
        }
    }

    /** {@code from} and {@code to} as {@code YYYY-MM-DDTHH} (UTC); {@code to} null means the one hour {@code from}. */
    public static HourRange parse(String from, String to) {
        Instant first = parseHour(from, "--from");
        Instant last = to == null ? first : parseHour(to, "--to");
        if (last.isBefore(first)) {
            throw new IllegalArgumentException("--to " + format(last) + " is before --from " + format(first));
        }
        return new HourRange(first, last);
    }

    private static Instant parseHour(String text, String what) {
        try {
            return LocalDateTime.parse(text.trim(), HOUR).toInstant(ZoneOffset.UTC);
        } catch (DateTimeParseException | NullPointerException e) {
            throw new IllegalArgumentException(
                    what + " \"" + text + "\": expected a UTC hour as YYYY-MM-DDTHH, e.g. 2026-11-23T10");
        }
    }

    public long hours() {
        return ChronoUnit.HOURS.between(first, last) + 1;
    }

    /** The raw zone's prefix of every hour, in order. */
    public List<String> rawPrefixes() {
        List<String> out = new ArrayList<>();
        for (Instant h = first; !h.isAfter(last); h = h.plus(1, ChronoUnit.HOURS)) {
            out.add(LakeLayout.RAW_PREFIX + "dt=" + DT.format(h) + "/hour=" + HH.format(h) + "/");
        }
        return out;
    }

    public static String format(Instant hour) {
        return HOUR.format(LocalDateTime.ofInstant(hour, ZoneOffset.UTC));
    }

    @Override
    public String toString() {
        return first.equals(last) ? format(first) : format(first) + " .. " + format(last);
    }
}
