package io.github.iottelemetry.ingest.lake;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.github.iottelemetry.core.validation.ReasonCode;
import io.github.iottelemetry.ingest.batch.IngestRecord;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Base64;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/** Writes the raw archive and the quarantine objects of the data lake, gzip JSON lines. */
public class LakeWriter {
    private static final JsonFactory JSON = new JsonFactory();

    private final S3Client s3;
    private final String bucket;

    public LakeWriter(S3Client s3, String bucket) {
        this.s3 = s3;
        this.bucket = bucket;
    }

    public String bucket() {
        return bucket;
    }

    /**
     * One object for records of one shard and hour: each line is the record exactly as received, with
     * the Kinesis metadata spliced in as three more top-level fields.
     */
    public String putRaw(long hourMillis, List<IngestRecord> records) {
        IngestRecord first = records.get(0);
        IngestRecord last = records.get(records.size() - 1);
        String key = LakeKeys.raw(hourMillis, first.shardId(), first.sequenceNumber(), last.sequenceNumber());
        ByteArrayOutputStream out = new ByteArrayOutputStream(records.size() * 600);
        try (GZIPOutputStream gz = new GZIPOutputStream(out, 1 << 16)) {
            for (IngestRecord r : records) {
                byte[] d = r.data();
                int end = lastClosingBrace(d);
                gz.write(d, 0, end);
                gz.write(("," + "\"kinesisShardId\":\"" + r.shardId() + "\",\"kinesisSequenceNumber\":\"" + r.sequenceNumber()
                        + "\",\"kinesisArrivalTs\":" + r.arrivalMillis() + "}\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        put(key, out.toByteArray());
        return key;
    }

    /** One object per rejected record with its original bytes (base64), the reason and where it came from. */
    public String putQuarantine(IngestRecord r, ReasonCode reason, String detail) {
        String key = LakeKeys.quarantine(r.arrivalMillis(), reason, r.shardId(), r.sequenceNumber());
        ByteArrayOutputStream out = new ByteArrayOutputStream(256 + r.data().length * 4 / 3);
        try (GZIPOutputStream gz = new GZIPOutputStream(out); JsonGenerator g = JSON.createGenerator(gz)) {
            g.writeStartObject();
            g.writeStringField("reason", reason.name());
            g.writeStringField("detail", detail);
            g.writeStringField("shardId", r.shardId());
            g.writeStringField("sequenceNumber", r.sequenceNumber());
            g.writeNumberField("arrivalTs", r.arrivalMillis());
            g.writeNumberField("sizeBytes", r.data().length);
            g.writeStringField("dataBase64", Base64.getEncoder().encodeToString(r.data()));
            g.writeEndObject();
            g.writeRaw('\n');
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        put(key, out.toByteArray());
        return key;
    }

    private void put(String key, byte[] body) {
        s3.putObject(b -> b.bucket(bucket).key(key).contentType("application/gzip"),
                RequestBody.fromBytes(body));
    }

    /** Valid records are JSON objects: the last non-blank byte is their closing brace. */
    private static int lastClosingBrace(byte[] d) {
        int i = d.length - 1;
        while (i >= 0 && d[i] != '}') {
            i--;
        }
        if (i < 0) {
            throw new IllegalArgumentException("not a JSON object: a valid record must end with '}'");
        }
        return i;
    }
}
