package io.github.iottelemetry.core.lake;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.io.OutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * One valid Kinesis record as the raw archive holds it: a line of a {@code raw/} object. The line is the
 * record's bytes up to its closing brace, then three fields spliced in before that brace, then a newline:
 * {@code ,"kinesisShardId":"...","kinesisSequenceNumber":"...","kinesisArrivalTs":<epoch ms>}}. The ingest
 * function writes lines with {@link #write}, and every reader (replay, tests) reads them with {@link #parse}.
 *
 * @param shardId the shard the record was read from
 * @param sequenceNumber its Kinesis sequence number: with the shard, the record's identity in the archive
 * @param arrivalMillis Kinesis' approximate arrival time, what the ingest function validated against
 * @param record the record as received (the spliced fields removed)
 */
public record RawArchiveLine(String shardId, String sequenceNumber, long arrivalMillis, byte[] record) {
    public static final String SHARD_ID = "kinesisShardId";
    public static final String SEQUENCE_NUMBER = "kinesisSequenceNumber";
    public static final String ARRIVAL_TS = "kinesisArrivalTs";
    private static final JsonFactory JSON = new JsonFactory();

    /** The sequence number as a number: the record's place in its shard. */
    public BigInteger order() {
        return new BigInteger(sequenceNumber);
    }

    /**
     * Writes one line for a record that is a JSON object with at least one field (a valid record always is).
     *
     * @throws IllegalArgumentException when the record is not such an object
     */
    public static void write(OutputStream out, byte[] record, String shardId, String sequenceNumber, long arrivalMillis)
            throws IOException {
        int end = lastClosingBrace(record);
        out.write(record, 0, end);
        out.write(splice(shardId, sequenceNumber, arrivalMillis));
        out.write('\n');
    }

    /**
     * Reads one line (without its newline). The three fields are taken from their last occurrence, which is
     * the splice's (a device may send a field of the same name; the record keeps it, the splice comes after).
     *
     * @throws RawLineException when the line is not a JSON object or a field is missing or malformed
     */
    public static RawArchiveLine parse(byte[] line) throws RawLineException {
        String shardId = null;
        String sequenceNumber = null;
        Long arrival = null;
        try (JsonParser p = JSON.createParser(line)) {
            JsonToken t = p.nextToken();
            if (t != JsonToken.START_OBJECT) {
                throw new RawLineException(
                        RawLineException.Problem.NOT_JSON,
                        t == null
                                ? "empty line"
                                : "expected a JSON object, found " + t.asString() + " at column "
                                        + p.currentLocation().getColumnNr());
            }
            while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                t = p.nextToken();
                switch (field) {
                    case SHARD_ID -> shardId = text(p, t, SHARD_ID);
                    case SEQUENCE_NUMBER -> sequenceNumber = text(p, t, SEQUENCE_NUMBER);
                    case ARRIVAL_TS -> {
                        if (t != JsonToken.VALUE_NUMBER_INT) {
                            throw new RawLineException(
                                    RawLineException.Problem.BAD_KINESIS_FIELD,
                                    ARRIVAL_TS + " must be a whole number of epoch milliseconds, found " + p.getText());
                        }
                        arrival = p.getLongValue();
                    }
                    default -> p.skipChildren();
                }
            }
            if (p.nextToken() != null) {
                throw new RawLineException(
                        RawLineException.Problem.NOT_JSON,
                        "unexpected content after the JSON object at column "
                                + p.currentLocation().getColumnNr());
            }
        } catch (JsonProcessingException e) {
            throw new RawLineException(
                    RawLineException.Problem.NOT_JSON,
                    e.getOriginalMessage().replace('\n', ' ') + " at column "
                            + (e.getLocation() == null ? "?" : e.getLocation().getColumnNr()));
        } catch (IOException e) {
            throw new RawLineException(
                    RawLineException.Problem.NOT_JSON,
                    String.valueOf(e.getMessage()).replace('\n', ' '));
        }
        require(shardId, SHARD_ID);
        require(sequenceNumber, SEQUENCE_NUMBER);
        require(arrival, ARRIVAL_TS);
        if (shardId.isBlank()) {
            throw new RawLineException(RawLineException.Problem.BAD_KINESIS_FIELD, SHARD_ID + " is empty");
        }
        if (sequenceNumber.isEmpty() || !sequenceNumber.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new RawLineException(
                    RawLineException.Problem.BAD_KINESIS_FIELD,
                    SEQUENCE_NUMBER + " must be a string of digits, found \"" + abbreviate(sequenceNumber) + "\"");
        }
        return new RawArchiveLine(
                shardId, sequenceNumber, arrival, originalRecord(line, shardId, sequenceNumber, arrival));
    }

    private static byte[] splice(String shardId, String sequenceNumber, long arrivalMillis) {
        return (",\"" + SHARD_ID + "\":\"" + shardId + "\",\"" + SEQUENCE_NUMBER + "\":\"" + sequenceNumber + "\",\""
                        + ARRIVAL_TS + "\":" + arrivalMillis + "}")
                .getBytes(StandardCharsets.UTF_8);
    }

    /**
     * The record as received: the line without the splice, closed again. A line whose end is not exactly the
     * splice (written by another tool) is returned whole: the decoder ignores unknown fields, so only a record
     * within a hundred bytes of the size limit could be judged differently.
     */
    private static byte[] originalRecord(byte[] line, String shardId, String sequenceNumber, long arrival) {
        byte[] splice = splice(shardId, sequenceNumber, arrival);
        int end = line.length;
        while (end > 0 && Character.isWhitespace(line[end - 1])) {
            end--;
        }
        int start = end - splice.length;
        if (start <= 0 || !Arrays.equals(line, start, end, splice, 0, splice.length)) {
            return line;
        }
        byte[] record = Arrays.copyOf(line, start + 1);
        record[start] = '}';
        return record;
    }

    /** Valid records are JSON objects with fields: the last non-blank byte is their closing brace, a field before it. */
    private static int lastClosingBrace(byte[] record) {
        int i = record.length - 1;
        while (i >= 0 && record[i] != '}') {
            i--;
        }
        int before = i - 1;
        while (before >= 0 && Character.isWhitespace(record[before])) {
            before--;
        }
        if (i < 0 || before < 0 || record[before] == '{') {
            throw new IllegalArgumentException("an archived record must be a JSON object with at least one field");
        }
        return i;
    }

    private static String text(JsonParser p, JsonToken t, String field) throws IOException, RawLineException {
        if (t != JsonToken.VALUE_STRING) {
            throw new RawLineException(
                    RawLineException.Problem.BAD_KINESIS_FIELD,
                    field + " must be a string, found "
                            + (t == JsonToken.START_OBJECT || t == JsonToken.START_ARRAY ? t.asString() : p.getText()));
        }
        return p.getText();
    }

    private static void require(Object value, String field) throws RawLineException {
        if (value == null) {
            throw new RawLineException(
                    RawLineException.Problem.MISSING_KINESIS_FIELD,
                    "no " + field + " (every archived line carries the three kinesis* fields)");
        }
    }

    private static String abbreviate(String s) {
        return s.length() <= 40 ? s : s.substring(0, 40) + "...";
    }
}
