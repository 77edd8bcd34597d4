package io.github.iottelemetry.processor.replay;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * One Kinesis record as the ingest Lambda archived it: a line of a {@code raw/} object. The line is the
 * record's bytes up to its closing brace, then the three fields the Lambda splices in before that brace:
 * {@code ,"kinesisShardId":"...","kinesisSequenceNumber":"...","kinesisArrivalTs":<epoch ms>}.
 *
 * @param shardId the shard the record was read from (the live processor's lake keys use it)
 * @param sequenceNumber its Kinesis sequence number as written
 * @param order the sequence number as a number: the record's place in its shard
 * @param arrivalMillis Kinesis' approximate arrival time, what the Lambda validated against
 * @param data the record as received (the spliced fields removed), what the validator checks
 */
public record ArchivedRecord(String shardId, String sequenceNumber, BigInteger order, long arrivalMillis, byte[] data) {
    private static final JsonFactory JSON = new JsonFactory();
    static final String SHARD_ID = "kinesisShardId";
    static final String SEQUENCE_NUMBER = "kinesisSequenceNumber";
    static final String ARRIVAL_TS = "kinesisArrivalTs";

    /**
     * Reads one line (without its newline). The three fields are taken from their last occurrence, which is
     * the Lambda's (a device may send a field of the same name; the record keeps it, the splice comes after).
     *
     * @throws RawInputException when the line is not a JSON object or a field is missing or malformed
     */
    public static ArchivedRecord parse(byte[] line) throws RawInputException {
        String shardId = null;
        String sequenceNumber = null;
        Long arrival = null;
        try (JsonParser p = JSON.createParser(line)) {
            JsonToken t = p.nextToken();
            if (t != JsonToken.START_OBJECT) {
                throw new RawInputException(RawInputProblem.NOT_JSON, t == null ? "empty line"
                        : "expected a JSON object, found " + t.asString() + " at column " + p.currentLocation().getColumnNr());
            }
            while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                t = p.nextToken();
                switch (field) {
                    case SHARD_ID -> shardId = text(p, t, SHARD_ID);
                    case SEQUENCE_NUMBER -> sequenceNumber = text(p, t, SEQUENCE_NUMBER);
                    case ARRIVAL_TS -> {
                        if (t != JsonToken.VALUE_NUMBER_INT) {
                            throw new RawInputException(RawInputProblem.BAD_KINESIS_FIELD,
                                    ARRIVAL_TS + " must be a whole number of epoch milliseconds, found " + p.getText());
                        }
                        arrival = p.getLongValue();
                    }
                    default -> p.skipChildren();
                }
            }
            if (p.nextToken() != null) {
                throw new RawInputException(RawInputProblem.NOT_JSON,
                        "unexpected content after the JSON object at column " + p.currentLocation().getColumnNr());
            }
        } catch (JsonProcessingException e) {
            throw new RawInputException(RawInputProblem.NOT_JSON, e.getOriginalMessage().replace('\n', ' ')
                    + " at column " + (e.getLocation() == null ? "?" : e.getLocation().getColumnNr()));
        } catch (IOException e) {
            throw new RawInputException(RawInputProblem.NOT_JSON, String.valueOf(e.getMessage()).replace('\n', ' '));
        }
        require(shardId, SHARD_ID);
        require(sequenceNumber, SEQUENCE_NUMBER);
        require(arrival, ARRIVAL_TS);
        if (shardId.isBlank()) {
            throw new RawInputException(RawInputProblem.BAD_KINESIS_FIELD, SHARD_ID + " is empty");
        }
        if (sequenceNumber.isEmpty() || !sequenceNumber.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new RawInputException(RawInputProblem.BAD_KINESIS_FIELD,
                    SEQUENCE_NUMBER + " must be a string of digits, found \"" + abbreviate(sequenceNumber) + "\"");
        }
        return new ArchivedRecord(shardId, sequenceNumber, new BigInteger(sequenceNumber), arrival,
                originalRecord(line, shardId, sequenceNumber, arrival));
    }

    /**
     * The record as received: the line without the splice, closed again. A line whose end is not exactly the
     * Lambda's splice (written by another tool) is validated whole: the decoder ignores unknown fields, so only
     * a record within a hundred bytes of the size limit could be judged differently.
     */
    private static byte[] originalRecord(byte[] line, String shardId, String sequenceNumber, long arrival) {
        byte[] splice = (",\"" + SHARD_ID + "\":\"" + shardId + "\",\"" + SEQUENCE_NUMBER + "\":\"" + sequenceNumber
                + "\",\"" + ARRIVAL_TS + "\":" + arrival + "}").getBytes(StandardCharsets.UTF_8);
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

    private static String text(JsonParser p, JsonToken t, String field) throws IOException, RawInputException {
        if (t != JsonToken.VALUE_STRING) {
            throw new RawInputException(RawInputProblem.BAD_KINESIS_FIELD, field + " must be a string, found "
                    + (t == JsonToken.START_OBJECT || t == JsonToken.START_ARRAY ? t.asString() : p.getText()));
        }
        return p.getText();
    }

    private static void require(Object value, String field) throws RawInputException {
        if (value == null) {
            throw new RawInputException(RawInputProblem.MISSING_KINESIS_FIELD,
                    "no " + field + " (every archived line carries the three kinesis* fields)");
        }
    }

    private static String abbreviate(String s) {
        return s.length() <= 40 ? s : s.substring(0, 40) + "...";
    }
}
