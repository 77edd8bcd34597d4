package io.github.iottelemetry.core.payload;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import io.github.iottelemetry.core.validation.InvalidTelemetryException;
import io.github.iottelemetry.core.validation.ReasonCode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Strict, streaming JSON codec for {@code telemetry.v1}.
 *
 * <p>Decoding checks structure and types against the contract: unknown top-level fields are
 * tolerated (the IoT rule may add some), anything else that is not in the schema, of the wrong type,
 * duplicated, or not well-formed is rejected with {@link ReasonCode#MALFORMED_JSON} or
 * {@link ReasonCode#SCHEMA_VIOLATION} and the path of the offending field. Limits that are
 * configuration (sizes, counts, time) are the {@code TelemetryValidator}'s job.
 */
public final class TelemetryCodec {
    private static final JsonFactory JSON = JsonFactory.builder()
            .enable(StreamReadFeature.USE_FAST_DOUBLE_PARSER)
            .disable(StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION)
            .streamReadConstraints(StreamReadConstraints.builder()
                    .maxNestingDepth(64)
                    .maxNumberLength(400)
                    .build())
            .build();

    private static final int DEVICE_ID_MAX = 128;
    private static final int METRIC_NAME_MAX = 64;

    private TelemetryCodec() {}

    /** Encodes a message as UTF-8 JSON; {@code thing} and {@code ingestTs} are written only when set. */
    public static byte[] encode(TelemetryMessage message) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(64 + message.valueCount() * 24);
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("schema", message.schema());
            g.writeStringField("deviceId", message.deviceId());
            g.writeNumberField("seq", message.seq());
            g.writeNumberField("sentAt", message.sentAt());
            g.writeArrayFieldStart("readings");
            for (Reading r : message.readings()) {
                g.writeStartObject();
                g.writeNumberField("ts", r.ts());
                g.writeObjectFieldStart("m");
                for (int i = 0; i < r.metricCount(); i++) {
                    g.writeNumberField(r.metricName(i), r.value(i));
                }
                g.writeEndObject();
                g.writeEndObject();
            }
            g.writeEndArray();
            if (message.thing() != null) {
                g.writeStringField("thing", message.thing());
            }
            if (message.ingestTs() != null) {
                g.writeNumberField("ingestTs", message.ingestTs());
            }
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException("encoding telemetry message " + message.deviceId() + "/" + message.seq(), e);
        }
        return out.toByteArray();
    }

    /**
     * Decodes one record; see the class comment for what is checked. The common shape takes a
     * schema-aware byte-level path ({@link FastTelemetryDecoder}); everything else, and every error,
     * goes through the Jackson path, which is the reference.
     */
    public static TelemetryMessage decode(byte[] data) throws InvalidTelemetryException {
        TelemetryMessage fast = FastTelemetryDecoder.tryDecode(data);
        return fast != null ? fast : decodeReference(data, 0, data.length);
    }

    public static TelemetryMessage decode(byte[] data, int offset, int length) throws InvalidTelemetryException {
        return decodeReference(data, offset, length);
    }

    /** The Jackson path alone: the reference the fast path is checked against. */
    static TelemetryMessage decodeReference(byte[] data, int offset, int length) throws InvalidTelemetryException {
        try (JsonParser p = JSON.createParser(data, offset, length)) {
            TelemetryMessage m = readMessage(p);
            if (p.nextToken() != null) {
                throw malformed("unexpected content after the JSON object at byte "
                        + p.currentLocation().getByteOffset());
            }
            return m;
        } catch (InvalidTelemetryException e) {
            throw e;
        } catch (IOException e) {
            // Jackson's message says what and where (line, column); strip the source-location suffix noise.
            String msg = String.valueOf(e.getMessage()).replace('\n', ' ');
            throw malformed(msg);
        }
    }

    private static TelemetryMessage readMessage(JsonParser p) throws IOException, InvalidTelemetryException {
        JsonToken t = p.nextToken();
        if (t == null) {
            throw malformed("empty record");
        }
        if (t != JsonToken.START_OBJECT) {
            throw schema("$", "expected a JSON object, got " + describe(p, t));
        }
        String schema = null;
        String deviceId = null;
        long seq = -1;
        long sentAt = -1;
        List<Reading> readings = null;
        String thing = null;
        Long ingestTs = null;
        boolean hasSeq = false;
        boolean hasSentAt = false;
        int seen = 0; // one bit per known field, to reject duplicates
        while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            t = p.nextToken();
            int bit = knownFieldBit(field);
            if ((seen & bit) != 0) {
                throw schema(field, "appears more than once");
            }
            seen |= bit;
            switch (field) {
                case "schema" -> {
                    schema = string(p, t, "schema");
                    if (!TelemetryMessage.SCHEMA_V1.equals(schema)) {
                        throw schema(
                                "schema",
                                "expected \"" + TelemetryMessage.SCHEMA_V1 + "\", got \"" + abbreviate(schema) + "\"");
                    }
                }
                case "deviceId" -> deviceId = thingName(string(p, t, "deviceId"), "deviceId");
                case "seq" -> {
                    seq = nonNegativeLong(p, t, "seq");
                    hasSeq = true;
                }
                case "sentAt" -> {
                    sentAt = nonNegativeLong(p, t, "sentAt");
                    hasSentAt = true;
                }
                case "readings" -> readings = readReadings(p, t);
                case "thing" -> thing = string(p, t, "thing");
                case "ingestTs" -> ingestTs = nonNegativeLong(p, t, "ingestTs");
                default -> p.skipChildren(); // unknown top-level fields are tolerated
            }
        }
        if (t != JsonToken.END_OBJECT) {
            throw malformed("unexpected " + t);
        }
        if (schema == null) {
            throw schema("schema", "missing");
        }
        if (deviceId == null) {
            throw schema("deviceId", "missing");
        }
        if (!hasSeq) {
            throw schema("seq", "missing");
        }
        if (!hasSentAt) {
            throw schema("sentAt", "missing");
        }
        if (readings == null) {
            throw schema("readings", "missing");
        }
        return new TelemetryMessage(schema, deviceId, seq, sentAt, readings, thing, ingestTs);
    }

    private static int knownFieldBit(String field) {
        return switch (field) {
            case "schema" -> 1;
            case "deviceId" -> 2;
            case "seq" -> 4;
            case "sentAt" -> 8;
            case "readings" -> 16;
            case "thing" -> 32;
            case "ingestTs" -> 64;
            default -> 0;
        };
    }

    private static List<Reading> readReadings(JsonParser p, JsonToken t) throws IOException, InvalidTelemetryException {
        if (t != JsonToken.START_ARRAY) {
            throw schema("readings", "expected an array, got " + describe(p, t));
        }
        List<Reading> readings = new ArrayList<>(16);
        int index = 0;
        while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
            if (t == null) {
                throw malformed("unexpected end of input inside readings");
            }
            readings.add(readReading(p, t, index++));
        }
        return readings;
    }

    private static Reading readReading(JsonParser p, JsonToken t, int index)
            throws IOException, InvalidTelemetryException {
        if (t != JsonToken.START_OBJECT) {
            throw schema(readingPath(index), "expected an object, got " + describe(p, t));
        }
        long ts = -1;
        boolean hasTs = false;
        String[] names = null;
        double[] values = null;
        int count = 0;
        while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            t = p.nextToken();
            if (field.equals("ts")) {
                if (hasTs) {
                    throw schema(readingPath(index) + ".ts", "appears more than once");
                }
                ts = nonNegativeLongAt(p, t, index, "ts");
                hasTs = true;
            } else if (field.equals("m")) {
                if (names != null) {
                    throw schema(readingPath(index) + ".m", "appears more than once");
                }
                if (t != JsonToken.START_OBJECT) {
                    throw schema(
                            readingPath(index) + ".m", "expected an object of metric values, got " + describe(p, t));
                }
                names = new String[4];
                values = new double[4];
                while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
                    String metric = p.currentName();
                    t = p.nextToken();
                    if (!isMetricName(metric)) {
                        throw schema(
                                readingPath(index) + ".m",
                                "metric name \"" + abbreviate(metric) + "\" does not match [a-z][a-z0-9_]{0,63}");
                    }
                    if (t != JsonToken.VALUE_NUMBER_INT && t != JsonToken.VALUE_NUMBER_FLOAT) {
                        throw schema(readingPath(index) + ".m." + metric, "expected a number, got " + describe(p, t));
                    }
                    for (int k = 0; k < count; k++) {
                        if (names[k].equals(metric)) {
                            throw schema(readingPath(index) + ".m." + metric, "appears more than once");
                        }
                    }
                    double v = t == JsonToken.VALUE_NUMBER_FLOAT ? shortDecimal(p) : Double.NaN;
                    if (v != v) { // not a short decimal: let Jackson parse it (exponents, long mantissas, ints)
                        v = p.getDoubleValue();
                    }
                    if (!Double.isFinite(v)) {
                        throw schema(
                                readingPath(index) + ".m." + metric,
                                "value " + p.getText() + " is not a finite number");
                    }
                    if (count == names.length) {
                        names = Arrays.copyOf(names, count * 2);
                        values = Arrays.copyOf(values, count * 2);
                    }
                    names[count] = metric;
                    values[count] = v;
                    count++;
                }
                if (count == 0) {
                    throw schema(readingPath(index) + ".m", "must hold at least one metric");
                }
            } else {
                throw schema(
                        readingPath(index) + "." + abbreviate(field), "unknown field (a reading has only ts and m)");
            }
        }
        if (t != JsonToken.END_OBJECT) {
            throw malformed("unexpected " + t + " in " + readingPath(index));
        }
        if (!hasTs) {
            throw schema(readingPath(index) + ".ts", "missing");
        }
        if (names == null) {
            throw schema(readingPath(index) + ".m", "missing");
        }
        if (count < names.length) {
            names = Arrays.copyOf(names, count);
            values = Arrays.copyOf(values, count);
        }
        return new Reading(ts, names, values);
    }

    private static final double[] EXACT_POW10 = {
        1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15
    };

    /**
     * Parses the current number token when it is a plain decimal of at most 15 significant digits
     * (what sensors send: {@code 21.53}, {@code -0.5}); returns NaN otherwise. Both the digits and the
     * power of ten are exact doubles then, and IEEE division rounds correctly, so the result equals
     * {@link Double#parseDouble} for these inputs.
     */
    private static double shortDecimal(JsonParser p) throws IOException {
        char[] buf = p.getTextCharacters();
        int i = p.getTextOffset();
        int end = i + p.getTextLength();
        boolean negative = buf[i] == '-';
        if (negative) {
            i++;
        }
        long mantissa = 0;
        int digits = 0;
        int scale = -1;
        for (; i < end; i++) {
            char c = buf[i];
            if (c >= '0' && c <= '9') {
                mantissa = mantissa * 10 + (c - '0');
                if (++digits > 15) {
                    return Double.NaN;
                }
                if (scale >= 0) {
                    scale++;
                }
            } else if (c == '.' && scale < 0) {
                scale = 0;
            } else {
                return Double.NaN; // exponent
            }
        }
        if (scale < 0) {
            scale = 0;
        }
        double v = mantissa / EXACT_POW10[scale];
        return negative ? -v : v;
    }

    private static String string(JsonParser p, JsonToken t, String path) throws IOException, InvalidTelemetryException {
        if (t != JsonToken.VALUE_STRING) {
            throw schema(path, "expected a string, got " + describe(p, t));
        }
        return p.getText();
    }

    private static long nonNegativeLong(JsonParser p, JsonToken t, String path)
            throws IOException, InvalidTelemetryException {
        if (t != JsonToken.VALUE_NUMBER_INT) {
            throw schema(path, "expected a non-negative integer, got " + describe(p, t));
        }
        if (p.getNumberType() != JsonParser.NumberType.INT && p.getNumberType() != JsonParser.NumberType.LONG) {
            throw schema(path, "value " + abbreviate(p.getText()) + " is out of range");
        }
        long v = p.getLongValue();
        if (v < 0) {
            throw schema(path, "expected a non-negative integer, got " + v);
        }
        return v;
    }

    private static long nonNegativeLongAt(JsonParser p, JsonToken t, int index, String field)
            throws IOException, InvalidTelemetryException {
        if (t == JsonToken.VALUE_NUMBER_INT && p.getTextLength() <= 18) { // fits a long: the fast path
            long v = p.getLongValue();
            if (v >= 0) {
                return v;
            }
        }
        return nonNegativeLong(p, t, readingPath(index) + "." + field); // reports the exact problem
    }

    /** Thing names (and so device ids): {@code [A-Za-z0-9:_-]{1,128}}. */
    public static boolean isThingName(String s) {
        int n = s.length();
        if (n == 0 || n > DEVICE_ID_MAX) {
            return false;
        }
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z')
                    || (c >= 'A' && c <= 'Z')
                    || (c >= '0' && c <= '9')
                    || c == ':'
                    || c == '_'
                    || c == '-';
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    /** Metric names: {@code [a-z][a-z0-9_]{0,63}}. */
    public static boolean isMetricName(String s) {
        int n = s.length();
        if (n == 0 || n > METRIC_NAME_MAX) {
            return false;
        }
        char first = s.charAt(0);
        if (first < 'a' || first > 'z') {
            return false;
        }
        for (int i = 1; i < n; i++) {
            char c = s.charAt(i);
            if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_')) {
                return false;
            }
        }
        return true;
    }

    private static String thingName(String s, String path) throws InvalidTelemetryException {
        if (!isThingName(s)) {
            throw schema(path, "\"" + abbreviate(s) + "\" does not match [A-Za-z0-9:_-]{1,128}");
        }
        return s;
    }

    private static String readingPath(int index) {
        return "readings[" + index + "]";
    }

    private static String describe(JsonParser p, JsonToken t) throws IOException {
        return switch (t) {
            case VALUE_STRING -> "string \"" + abbreviate(p.getText()) + "\"";
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "number " + abbreviate(p.getText());
            case VALUE_TRUE, VALUE_FALSE -> "boolean " + p.getText();
            case VALUE_NULL -> "null";
            case START_ARRAY -> "an array";
            case START_OBJECT -> "an object";
            default -> String.valueOf(t);
        };
    }

    private static String abbreviate(String s) {
        return s.length() <= 64 ? s : s.substring(0, 61) + "...";
    }

    private static InvalidTelemetryException schema(String path, String detail) {
        return new InvalidTelemetryException(ReasonCode.SCHEMA_VIOLATION, path + ": " + detail);
    }

    private static InvalidTelemetryException malformed(String detail) {
        return new InvalidTelemetryException(ReasonCode.MALFORMED_JSON, detail);
    }
}
