package io.github.iottelemetry.processor.replay;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ArchivedRecordTest {
    private static final String RECORD = "{\"schema\":\"telemetry.v1\",\"deviceId\":\"d1\",\"seq\":7,\"sentAt\":1763884801250,"
            + "\"readings\":[{\"ts\":1763884800000,\"m\":{\"temperature\":21.5}}],\"thing\":\"d1\",\"ingestTs\":1763884801300}";
    private static final String SEQ = "49658979253716463412475036544081152655478612436123123712";
    private static final String SPLICE = ",\"kinesisShardId\":\"shardId-000000000001\",\"kinesisSequenceNumber\":\"" + SEQ
            + "\",\"kinesisArrivalTs\":1763884801400}";

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** What the ingest Lambda writes: the record up to its closing brace, then the three fields and the brace. */
    private static String archived(String record) {
        return record.substring(0, record.lastIndexOf('}')) + SPLICE;
    }

    private static RawInputException failure(String line) {
        try {
            ArchivedRecord.parse(bytes(line));
        } catch (RawInputException e) {
            return e;
        }
        throw new AssertionError("parsed without error: " + line);
    }

    @Test
    void aLambdaLineGivesTheKinesisFieldsAndTheRecordExactlyAsReceived() throws RawInputException {
        ArchivedRecord r = ArchivedRecord.parse(bytes(archived(RECORD)));
        assertThat(r.shardId()).isEqualTo("shardId-000000000001");
        assertThat(r.sequenceNumber()).isEqualTo(SEQ);
        assertThat(r.order()).isEqualTo(new BigInteger(SEQ));
        assertThat(r.arrivalMillis()).isEqualTo(1763884801400L);
        assertThat(new String(r.data(), StandardCharsets.UTF_8)).isEqualTo(RECORD);
    }

    @Test
    void theSplicedFieldsWinOverFieldsOfTheSameNameThatTheDeviceSent() throws RawInputException {
        String fromDevice = RECORD.substring(0, RECORD.length() - 1) + ",\"kinesisShardId\":\"forged\"}";
        ArchivedRecord r = ArchivedRecord.parse(bytes(archived(fromDevice)));
        assertThat(r.shardId()).isEqualTo("shardId-000000000001");
        assertThat(new String(r.data(), StandardCharsets.UTF_8)).isEqualTo(fromDevice);
    }

    @Test
    void aLineNotWrittenByTheLambdaIsKeptWhole() throws RawInputException {
        String reordered = "{\"kinesisArrivalTs\":1,\"kinesisSequenceNumber\":\"5\",\"kinesisShardId\":\"s\",\"seq\":1}";
        ArchivedRecord r = ArchivedRecord.parse(bytes(reordered));
        assertThat(r.order()).isEqualTo(BigInteger.valueOf(5));
        assertThat(new String(r.data(), StandardCharsets.UTF_8)).isEqualTo(reordered);
    }

    @Test
    void textThatIsNotJsonIsNotJsonWithTheColumn() {
        RawInputException e = failure("{\"deviceId\": d1}");
        assertThat(e.problem()).isEqualTo(RawInputProblem.NOT_JSON);
        assertThat(e.detail()).contains("column 14");
    }

    @Test
    void aTruncatedLineIsNotJson() {
        String line = archived(RECORD);
        assertThat(failure(line.substring(0, line.length() / 2)).problem()).isEqualTo(RawInputProblem.NOT_JSON);
    }

    @Test
    void jsonThatIsNotAnObjectOrHasMoreAfterItIsNotJson() {
        assertThat(failure("[1,2]").detail()).contains("expected a JSON object");
        assertThat(failure(archived(RECORD) + " {}").detail()).contains("after the JSON object");
    }

    @Test
    void aMissingKinesisFieldIsNamed() {
        String withoutShard = archived(RECORD).replace("\"kinesisShardId\":\"shardId-000000000001\",", "");
        RawInputException e = failure(withoutShard);
        assertThat(e.problem()).isEqualTo(RawInputProblem.MISSING_KINESIS_FIELD);
        assertThat(e.detail()).contains("kinesisShardId");
        assertThat(failure(RECORD).detail()).contains("kinesisShardId");
        assertThat(failure(archived(RECORD).replace(",\"kinesisArrivalTs\":1763884801400", "")).detail()).contains("kinesisArrivalTs");
    }

    @Test
    void aMalformedKinesisFieldIsNamedWithItsValue() {
        RawInputException seq = failure(archived(RECORD).replace(SEQ, "12ab"));
        assertThat(seq.problem()).isEqualTo(RawInputProblem.BAD_KINESIS_FIELD);
        assertThat(seq.detail()).contains("kinesisSequenceNumber", "12ab");
        RawInputException arrival = failure(archived(RECORD).replace("1763884801400", "\"yesterday\""));
        assertThat(arrival.problem()).isEqualTo(RawInputProblem.BAD_KINESIS_FIELD);
        assertThat(arrival.detail()).contains("kinesisArrivalTs", "yesterday");
        assertThat(failure(archived(RECORD).replace("\"shardId-000000000001\"", "1")).detail()).contains("kinesisShardId must be a string");
    }
}
