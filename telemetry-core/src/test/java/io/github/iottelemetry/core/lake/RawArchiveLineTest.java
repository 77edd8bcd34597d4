package io.github.iottelemetry.core.lake;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.AlphaChars;
import net.jqwik.api.constraints.BigRange;
import net.jqwik.api.constraints.StringLength;
import org.junit.jupiter.api.Test;

/** The raw archive's line: what the ingest function writes is what every reader reads back, and bad lines say why. */
class RawArchiveLineTest {
    private static final String RECORD =
            "{\"schema\":\"telemetry.v1\",\"deviceId\":\"d1\",\"seq\":7,\"sentAt\":1763884801250,"
                    + "\"readings\":[{\"ts\":1763884800000,\"m\":{\"temperature\":21.5}}],\"thing\":\"d1\",\"ingestTs\":1763884801300}";
    private static final String SEQ = "49658979253716463412475036544081152655478612436123123712";
    private static final String SPLICE = ",\"kinesisShardId\":\"shardId-000000000001\",\"kinesisSequenceNumber\":\""
            + SEQ + "\",\"kinesisArrivalTs\":1763884801400}";

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** The line as the contract describes it: the record up to its closing brace, then the three fields and the brace. */
    private static String archived(String record) {
        return record.substring(0, record.lastIndexOf('}')) + SPLICE;
    }

    private static byte[] written(byte[] record, String shardId, String sequenceNumber, long arrival) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        try {
            RawArchiveLine.write(out, record, shardId, sequenceNumber, arrival);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    @Test
    void theWriterWritesTheContractsLineEndingInANewline() {
        assertThat(new String(
                        written(bytes(RECORD), "shardId-000000000001", SEQ, 1763884801400L), StandardCharsets.UTF_8))
                .isEqualTo(archived(RECORD) + "\n");
    }

    @Test
    void anObjectWithoutFieldsCannotCarryTheSplice() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> written(bytes("{ }"), "s", "1", 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("at least one field");
    }

    @Property
    void whatTheWriterWritesTheReaderReadsBack(
            @ForAll("records") String record,
            @ForAll @AlphaChars @StringLength(min = 1, max = 30) String shard,
            @ForAll @BigRange(min = "0", max = "999999999999999999999999999999999999999999999999999999") BigInteger seq,
            @ForAll long arrival)
            throws RawLineException {
        byte[] line = written(bytes(record), shard, seq.toString(), arrival);
        assertThat(line[line.length - 1]).isEqualTo((byte) '\n');
        RawArchiveLine read = RawArchiveLine.parse(java.util.Arrays.copyOf(line, line.length - 1));
        assertThat(read.shardId()).isEqualTo(shard);
        assertThat(read.sequenceNumber()).isEqualTo(seq.toString());
        assertThat(read.order()).isEqualTo(seq);
        assertThat(read.arrivalMillis()).isEqualTo(arrival);
        assertThat(new String(read.record(), StandardCharsets.UTF_8)).isEqualTo(record);
    }

    @Provide
    Arbitrary<String> records() {
        Arbitrary<String> values = Arbitraries.strings()
                .withCharRange(' ', '~')
                .excludeChars('"', '\\')
                .ofMaxLength(20);
        Arbitrary<String> names = Arbitraries.strings().alpha().ofMinLength(1).ofMaxLength(12);
        return Arbitraries.maps(names, values).ofMinSize(1).ofMaxSize(6).map(fields -> {
            StringBuilder json = new StringBuilder("{");
            fields.forEach((name, value) -> json.append(json.length() > 1 ? "," : "")
                    .append('"')
                    .append(name)
                    .append("\":\"")
                    .append(value)
                    .append('"'));
            return json.append('}').toString();
        });
    }

    private static RawLineException failure(String line) {
        try {
            RawArchiveLine.parse(bytes(line));
        } catch (RawLineException e) {
            return e;
        }
        throw new AssertionError("parsed without error: " + line);
    }

    @Test
    void aLambdaLineGivesTheKinesisFieldsAndTheRecordExactlyAsReceived() throws RawLineException {
        RawArchiveLine r = RawArchiveLine.parse(bytes(archived(RECORD)));
        assertThat(r.shardId()).isEqualTo("shardId-000000000001");
        assertThat(r.sequenceNumber()).isEqualTo(SEQ);
        assertThat(r.order()).isEqualTo(new BigInteger(SEQ));
        assertThat(r.arrivalMillis()).isEqualTo(1763884801400L);
        assertThat(new String(r.record(), StandardCharsets.UTF_8)).isEqualTo(RECORD);
    }

    @Test
    void theSplicedFieldsWinOverFieldsOfTheSameNameThatTheDeviceSent() throws RawLineException {
        String fromDevice = RECORD.substring(0, RECORD.length() - 1) + ",\"kinesisShardId\":\"forged\"}";
        RawArchiveLine r = RawArchiveLine.parse(bytes(archived(fromDevice)));
        assertThat(r.shardId()).isEqualTo("shardId-000000000001");
        assertThat(new String(r.record(), StandardCharsets.UTF_8)).isEqualTo(fromDevice);
    }

    @Test
    void aLineNotWrittenByTheLambdaIsKeptWhole() throws RawLineException {
        String reordered =
                "{\"kinesisArrivalTs\":1,\"kinesisSequenceNumber\":\"5\",\"kinesisShardId\":\"s\",\"seq\":1}";
        RawArchiveLine r = RawArchiveLine.parse(bytes(reordered));
        assertThat(r.order()).isEqualTo(BigInteger.valueOf(5));
        assertThat(new String(r.record(), StandardCharsets.UTF_8)).isEqualTo(reordered);
    }

    @Test
    void textThatIsNotJsonIsNotJsonWithTheColumn() {
        RawLineException e = failure("{\"deviceId\": d1}");
        assertThat(e.problem()).isEqualTo(RawLineException.Problem.NOT_JSON);
        assertThat(e.detail()).contains("column 14");
    }

    @Test
    void aTruncatedLineIsNotJson() {
        String line = archived(RECORD);
        assertThat(failure(line.substring(0, line.length() / 2)).problem())
                .isEqualTo(RawLineException.Problem.NOT_JSON);
    }

    @Test
    void jsonThatIsNotAnObjectOrHasMoreAfterItIsNotJson() {
        assertThat(failure("[1,2]").detail()).contains("expected a JSON object");
        assertThat(failure(archived(RECORD) + " {}").detail()).contains("after the JSON object");
    }

    @Test
    void aMissingKinesisFieldIsNamed() {
        String withoutShard = archived(RECORD).replace("\"kinesisShardId\":\"shardId-000000000001\",", "");
        RawLineException e = failure(withoutShard);
        assertThat(e.problem()).isEqualTo(RawLineException.Problem.MISSING_KINESIS_FIELD);
        assertThat(e.detail()).contains("kinesisShardId");
        assertThat(failure(RECORD).detail()).contains("kinesisShardId");
        assertThat(failure(archived(RECORD).replace(",\"kinesisArrivalTs\":1763884801400", ""))
                        .detail())
                .contains("kinesisArrivalTs");
    }

    @Test
    void aMalformedKinesisFieldIsNamedWithItsValue() {
        RawLineException seq = failure(archived(RECORD).replace(SEQ, "12ab"));
        assertThat(seq.problem()).isEqualTo(RawLineException.Problem.BAD_KINESIS_FIELD);
        assertThat(seq.detail()).contains("kinesisSequenceNumber", "12ab");
        RawLineException arrival = failure(archived(RECORD).replace("1763884801400", "\"yesterday\""));
        assertThat(arrival.problem()).isEqualTo(RawLineException.Problem.BAD_KINESIS_FIELD);
        assertThat(arrival.detail()).contains("kinesisArrivalTs", "yesterday");
        assertThat(failure(archived(RECORD).replace("\"shardId-000000000001\"", "1"))
                        .detail())
                .contains("kinesisShardId must be a string");
    }
}
