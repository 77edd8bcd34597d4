package io.github.iottelemetry.core.payload;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A byte-level decoder for the common shape of a {@code telemetry.v1} record, about twice as fast as
 * the streaming Jackson path because it knows the schema. It accepts only a strict subset of JSON:
 * ASCII strings without escapes, the known fields, plain integers and short decimals. For anything else
 * (unknown fields, escapes, exponents, non-ASCII bytes, any error) it returns {@code null} and the
 * caller decodes with {@link TelemetryCodec}'s Jackson path, which is the reference and reports the
 * precise error. So it never accepts what the reference rejects, and what it accepts decodes equal
 * (both checked by a differential property test).
 */
final class FastTelemetryDecoder {
    private static final java.lang.invoke.VarHandle LITTLE_ENDIAN_LONG =
            java.lang.invoke.MethodHandles.byteArrayViewVarHandle(long[].class, java.nio.ByteOrder.LITTLE_ENDIAN);
    private static final byte[] SCHEMA = "telemetry.v1".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    private static final double[] EXACT_POW10 = {
        1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15
    };

    private final byte[] b;
    private final int end;
    private int i;
    private long number; // the last integer read
    private double decimal; // the last metric value read
    private int metricsPerReading =
            4; // the previous reading's count: readings of a message mostly have the same metrics

    private FastTelemetryDecoder(byte[] b, int offset, int length) {
        this.b = b;
        this.i = offset;
        this.end = offset + length;
    }

    /** The decoded message, or null when the record is outside the fast subset (decode it the reference way). */
    static TelemetryMessage tryDecode(byte[] data) {
        try {
            return new FastTelemetryDecoder(data, 0, data.length).message();
        } catch (ArrayIndexOutOfBoundsException e) {
            return null; // ran off the end: truncated input, let the reference path report it
        }
    }

    private TelemetryMessage message() {
        if (!skipWs() || b[i++] != '{') {
            return null;
        }
        String deviceId = null;
        String thing = null;
        boolean schema = false;
        long seq = -1;
        long sentAt = -1;
        Long ingestTs = null;
        List<Reading> readings = null;
        int seen = 0;
        if (!skipWs()) {
            return null;
        }
        if (b[i] == '}') {
            return null;
        }
        while (true) {
            int field = fieldName();
            if (field < 0 || (seen & field) != 0) {
                return null;
            }
            seen |= field;
            if (!colon()) {
                return null;
            }
            switch (field) {
                case 1 -> {
                    if (!schemaValue()) {
                        return null;
                    }
                    schema = true;
                }
                case 2 -> {
                    deviceId = thingName();
                    if (deviceId == null) {
                        return null;
                    }
                }
                case 4 -> {
                    if (!nonNegativeInteger()) {
                        return null;
                    }
                    seq = number;
                }
                case 8 -> {
                    if (!nonNegativeInteger()) {
                        return null;
                    }
                    sentAt = number;
                }
                case 16 -> {
                    readings = readings();
                    if (readings == null) {
                        return null;
                    }
                }
                case 32 -> {
                    thing = asciiString();
                    if (thing == null) {
                        return null;
                    }
                }
                case 64 -> {
                    if (!nonNegativeInteger()) {
                        return null;
                    }
                    ingestTs = number;
                }
                default -> {
                    return null;
                }
            }
            if (!skipWs()) {
                return null;
            }
            byte c = b[i++];
            if (c == '}') {
                break;
            }
            if (c != ',') {
                return null;
            }
        }
        if (skipWs() || !schema || deviceId == null || seq < 0 || sentAt < 0 || readings == null) {
            return null; // trailing content or a missing field: the reference path explains it
        }
        return new TelemetryMessage(TelemetryMessage.SCHEMA_V1, deviceId, seq, sentAt, readings, thing, ingestTs);
    }

    private List<Reading> readings() {
        if (!skipWs() || b[i++] != '[') {
            return null;
        }
        List<Reading> out = new ArrayList<>(16);
        if (!skipWs()) {
            return null;
        }
        if (b[i] == ']') {
            i++;
            return out;
        }
        while (true) {
            Reading r = reading();
            if (r == null) {
                return null;
            }
            out.add(r);
            if (!skipWs()) {
                return null;
            }
            byte c = b[i++];
            if (c == ']') {
                return out;
            }
            if (c != ',') {
                return null;
            }
        }
    }

    private Reading reading() {
        if (!skipWs() || b[i++] != '{') {
            return null;
        }
        long ts = -1;
        String[] names = null;
        double[] values = null;
        int count = 0;
        for (int fields = 0; fields < 2; fields++) {
            if (!skipWs() || b[i++] != '"') {
                return null;
            }
            if (b[i] == 't' && b[i + 1] == 's' && b[i + 2] == '"' && ts < 0) {
                i += 3;
                if (!colon() || !nonNegativeInteger()) {
                    return null;
                }
                ts = number;
            } else if (b[i] == 'm' && b[i + 1] == '"' && names == null) {
                i += 2;
                if (!colon() || !skipWs() || b[i++] != '{' || !skipWs() || b[i] == '}') {
                    return null; // an empty m is a schema violation: the reference path reports it
                }
                names = new String[metricsPerReading];
                values = new double[metricsPerReading];
                while (true) {
                    String metric = metricName();
                    if (metric == null || !colon() || !metricValue()) {
                        return null;
                    }
                    for (int k = 0; k < count; k++) {
                        if (names[k] == metric) {
                            return null; // duplicate metric
                        }
                    }
                    if (count == names.length) {
                        names = Arrays.copyOf(names, count * 2);
                        values = Arrays.copyOf(values, count * 2);
                    }
                    names[count] = metric;
                    values[count] = decimal;
                    count++;
                    if (!skipWs()) {
                        return null;
                    }
                    byte c = b[i++];
                    if (c == '}') {
                        break;
                    }
                    if (c != ',') {
                        return null;
                    }
                }
            } else {
                return null;
            }
            if (!skipWs()) {
                return null;
            }
            byte c = b[i++];
            if (c == '}') {
                if (fields == 0) {
                    return null; // one of ts and m is missing
                }
            } else if (c != ',' || fields == 1) {
                return null;
            }
        }
        if (count < names.length) {
            names = Arrays.copyOf(names, count);
            values = Arrays.copyOf(values, count);
        }
        metricsPerReading = count;
        return new Reading(ts, names, values);
    }

    /** A top-level field name as a bit (1 schema, 2 deviceId, 4 seq, 8 sentAt, 16 readings, 32 thing, 64 ingestTs), or -1. */
    private int fieldName() {
        if (!skipWs() || b[i++] != '"') {
            return -1;
        }
        int start = i;
        while (b[i] != '"') {
            if (b[i] == '\\' || b[i] < 0x20) {
                return -1;
            }
            i++;
        }
        int len = i - start;
        i++;
        return switch (len) {
            case 3 -> matches(start, "seq") ? 4 : -1;
            case 5 -> matches(start, "thing") ? 32 : -1;
            case 6 -> matches(start, "schema") ? 1 : matches(start, "sentAt") ? 8 : -1;
            case 8 ->
                matches(start, "deviceId") ? 2 : matches(start, "readings") ? 16 : matches(start, "ingestTs") ? 64 : -1;
            default -> -1;
        };
    }

    private boolean matches(int start, String name) {
        for (int k = 0; k < name.length(); k++) {
            if (b[start + k] != name.charAt(k)) {
                return false;
            }
        }
        return true;
    }

    private boolean colon() {
        return skipWs() && b[i++] == ':';
    }

    private boolean schemaValue() {
        if (!skipWs() || b[i++] != '"') {
            return false;
        }
        for (byte s : SCHEMA) {
            if (b[i++] != s) {
                return false;
            }
        }
        return b[i++] == '"';
    }

    /** A string of printable ASCII without escapes, or null. */
    private String asciiString() {
        if (!skipWs() || b[i++] != '"') {
            return null;
        }
        int start = i;
        while (b[i] != '"') {
            byte c = b[i];
            if (c == '\\' || c < 0x20) { // negative bytes (non-ASCII) are < 0x20 too
                return null;
            }
            i++;
        }
        String s = new String(b, start, i - start, java.nio.charset.StandardCharsets.ISO_8859_1);
        i++;
        return s;
    }

    private String thingName() {
        String s = asciiString();
        return s != null && TelemetryCodec.isThingName(s) ? s : null;
    }

    private String metricName() {
        if (!skipWs() || b[i++] != '"') {
            return null;
        }
        int start = i;
        int h = 0;
        while (b[i] != '"') {
            byte c = b[i];
            if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_')) {
                return null;
            }
            h = 31 * h + c;
            i++;
        }
        int len = i - start;
        i++;
        if (len == 0 || len > 64 || b[start] < 'a' || b[start] > 'z') {
            return null;
        }
        return MetricNames.intern(b, start, len, h);
    }

    /** A JSON integer without sign, up to 18 digits; the value goes to {@code number}. */
    private boolean nonNegativeInteger() {
        if (!skipWs()) {
            return false;
        }
        int start = i;
        long v = 0;
        // Timestamps have 13 digits: the first eight at once when they are all digits (and a 19th digit, which
        // could overflow, is refused below by the length check before the value is used).
        if (i + 8 <= end) {
            long word = (long) LITTLE_ENDIAN_LONG.get(b, i);
            if (isEightDigits(word)) {
                v = eightDigits(word);
                i += 8;
            }
        }
        while (i < end && b[i] >= '0' && b[i] <= '9') {
            v = v * 10 + (b[i] - '0');
            i++;
        }
        int digits = i - start;
        if (digits == 0
                || digits > 18
                || (digits > 1 && b[start] == '0')
                || (i < end && (b[i] == '.' || b[i] == 'e' || b[i] == 'E'))) {
            return false;
        }
        number = v;
        return true;
    }

    /** True when all eight bytes of {@code word} are ASCII digits (each byte: not below '0', not above '9'). */
    private static boolean isEightDigits(long word) {
        return (((word + 0x4646464646464646L) | (word - 0x3030303030303030L)) & 0x8080808080808080L) == 0;
    }

    /** The value of eight ASCII digits read little-endian (the first digit in the lowest byte): pairs, quads, then all. */
    private static long eightDigits(long word) {
        long v = word - 0x3030303030303030L;
        v = (v * 10 + (v >>> 8)) & 0x00FF00FF00FF00FFL; // bytes 0,2,4,6 now hold two-digit values
        v = (v * 100 + (v >>> 16)) & 0x0000FFFF0000FFFFL; // four-digit values
        return (v * 10000 + (v >>> 32)) & 0xFFFFFFFFL; // eight digits
    }

    /**
     * A JSON number; the value goes to {@code decimal}. Plain decimals of at most 15 significant digits
     * are computed exactly here (digits and power of ten are exact doubles and IEEE division rounds
     * correctly); longer ones and exponents go through {@link Double#parseDouble}, which is correctly
     * rounded like the reference. Non-finite results are left to the reference, which rejects them.
     */
    private boolean metricValue() {
        if (!skipWs()) {
            return false;
        }
        int numberStart = i;
        boolean negative = b[i] == '-';
        if (negative) {
            i++;
        }
        int start = i;
        long mantissa = 0;
        while (b[i] >= '0' && b[i] <= '9') {
            mantissa = mantissa * 10 + (b[i] - '0');
            i++;
        }
        int intDigits = i - start;
        if (intDigits == 0 || (intDigits > 1 && b[start] == '0')) {
            return false;
        }
        int scale = 0;
        boolean fraction = b[i] == '.';
        if (fraction) {
            i++;
            int fracStart = i;
            while (b[i] >= '0' && b[i] <= '9') {
                mantissa = mantissa * 10 + (b[i] - '0');
                i++;
            }
            scale = i - fracStart;
            if (scale == 0) {
                return false;
            }
        }
        boolean exponent = b[i] == 'e' || b[i] == 'E';
        if (exponent) {
            i++;
            if (b[i] == '+' || b[i] == '-') {
                i++;
            }
            int expStart = i;
            while (b[i] >= '0' && b[i] <= '9') {
                i++;
            }
            if (i == expStart) {
                return false;
            }
        }
        if (!exponent && intDigits + scale <= 15) {
            if (fraction) {
                double v = mantissa / EXACT_POW10[scale];
                decimal = negative ? -v : v;
            } else {
                decimal = negative ? (double) -mantissa : (double) mantissa; // "-0" reads as 0.0, as in the reference
            }
            return true;
        }
        if (!fraction && !exponent && negative) {
            return false; // a long negative integer: rare, and the reference's reading of "-0"-like cases is its own
        }
        double v = Double.parseDouble(
                new String(b, numberStart, i - numberStart, java.nio.charset.StandardCharsets.ISO_8859_1));
        if (!Double.isFinite(v)) {
            return false;
        }
        decimal = v;
        return true;
    }

    /** Skips white space; false at the end of the input. */
    private boolean skipWs() {
        while (i < end) {
            byte c = b[i];
            if (c != ' ' && c != '\n' && c != '\r' && c != '\t') {
                return true;
            }
            i++;
        }
        return false;
    }
}
