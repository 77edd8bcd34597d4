package io.github.iottelemetry.iotrules.functions.time;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.github.iottelemetry.iotrules.eval.Values;
import io.github.iottelemetry.iotrules.functions.FunctionTable;
import java.math.BigInteger;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.TemporalAccessor;
import java.time.temporal.TemporalQueries;
import java.util.Locale;

/**
 * parse_time and time_to_epoch with java.time's DateTimeFormatter patterns. A pattern, zone or timestamp that does
 * not parse gives Undefined, as any function given invalid arguments does (iot-sql-data-types).
 */
public final class TimeFunctions {

    /**
     * Month and era names are English in the reference's examples ("18 December 2015", "AD", "CST"); the JDK's root
     * locale would print "M12" and not parse "December".
     */
    private static final Locale NAMES = Locale.US;

    private TimeFunctions() {}

    public static void addTo(FunctionTable table) {
        table.add(
                "parse_time(String, Long[, String])",
                "epoch milliseconds formatted with a pattern, in UTC or the given zone",
                2,
                3,
                (args, message) -> parseTime(args));
        table.add(
                "time_to_epoch(String, String)",
                "epoch milliseconds of a timestamp parsed with a pattern (UTC unless it names a zone)",
                2,
                2,
                (args, message) -> timeToEpoch(args[0], args[1]));
    }

    /** parse_time(pattern, epochMillis[, timeZone]), e.g. {@code parse_time("yyyy", timestamp(), "UTC")}. */
    private static JsonNode parseTime(JsonNode[] args) {
        String pattern = Values.toText(args[0]);
        BigInteger millis = Values.toInt(args[1]);
        String zone = args.length > 2 ? Values.toText(args[2]) : "UTC";
        if (pattern == null || millis == null || zone == null || millis.bitLength() > 63) {
            return null;
        }
        try {
            return TextNode.valueOf(DateTimeFormatter.ofPattern(pattern, NAMES)
                    .withZone(ZoneId.of(zone))
                    .format(Instant.ofEpochMilli(millis.longValue())));
        } catch (IllegalArgumentException | DateTimeException invalid) {
            return null;
        }
    }

    /**
     * time_to_epoch(timestamp, pattern): a date without a time is its midnight, a timestamp without a zone or offset
     * is UTC; one without a date is Undefined (no day to count from).
     */
    private static JsonNode timeToEpoch(JsonNode timestampArgument, JsonNode patternArgument) {
        String timestamp = Values.toText(timestampArgument);
        String pattern = Values.toText(patternArgument);
        if (timestamp == null || pattern == null) {
            return null;
        }
        try {
            TemporalAccessor parsed =
                    DateTimeFormatter.ofPattern(pattern, NAMES).parse(timestamp);
            LocalDate date = parsed.query(TemporalQueries.localDate());
            if (date == null) {
                return null;
            }
            LocalTime time = parsed.query(TemporalQueries.localTime());
            ZoneId zone = parsed.query(TemporalQueries.zone());
            ZonedDateTime moment = ZonedDateTime.of(
                    date, time == null ? LocalTime.MIDNIGHT : time, zone == null ? ZoneOffset.UTC : zone);
            return Values.integer(moment.toInstant().toEpochMilli());
        } catch (IllegalArgumentException | DateTimeException invalid) {
            return null;
        }
    }
}
