package io.github.iottelemetry.ingest.lake;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.github.iottelemetry.core.lake.LakeLayout;
import io.github.iottelemetry.core.lake.RawArchiveLine;
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
     * One object for a run of one shard's valid records that share an ingest hour, named after the run's first
     * record (LakeLayout); each line is the record exactly as received with the Kinesis metadata spliced in.
     */
    public String putRaw(long hourMillis, List<IngestRecord> run) {
        String key =
                LakeLayout.rawKey(hourMillis, run.get(0).shardId(), run.get(0).sequenceNumber());
        ByteArrayOutputStream out = new ByteArrayOutputStream(run.size() * 600);
        try (GZIPOutputStream gz = new GZIPOutputStream(out, 1 << 16)) {
            for (IngestRecord r : run) {
                RawArchiveLine.write(gz, r.data(), r.shardId(), r.sequenceNumber(), r.arrivalMillis());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        put(key, out.toByteArray());
        return key;
    }

    /** One object per rejected record with its original bytes (base64), the reason and where it came from. */
    public String putQuarantine(IngestRecord r, ReasonCode reason, String detail) {
        String key = LakeLayout.quarantineKey(r.arrivalMillis(), reason, r.shardId(), r.sequenceNumber());
        ByteArrayOutputStream out = new ByteArrayOutputStream(256 + r.data().length * 4 / 3);
        try (GZIPOutputStream gz = new GZIPOutputStream(out);
                JsonGenerator g = JSON.createGenerator(gz)) {
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
        s3.putObject(b -> b.bucket(bucket).key(key).contentType("application/gzip"), RequestBody.fromBytes(body));
    }
}
