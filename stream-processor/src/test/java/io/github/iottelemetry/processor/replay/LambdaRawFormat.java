package io.github.iottelemetry.processor.replay;

import io.github.iottelemetry.core.lake.LakeLayout;
import io.github.iottelemetry.core.lake.RawArchiveLine;
import io.github.iottelemetry.core.payload.TelemetryCodec;
import io.github.iottelemetry.core.payload.TelemetryMessage;
import io.github.iottelemetry.core.validation.InvalidTelemetryException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The raw zone as the ingest Lambda writes it: per run of a batch's records that share an ingest hour, one gzip
 * object named by {@link LakeLayout#rawKey}, each line a {@link RawArchiveLine}. Written from the contract in
 * telemetry-core, not from the Lambda's classes: stream-processor does not depend on ingest-lambda.
 */
final class LambdaRawFormat {

    /** One Kinesis record: where it was read and its bytes. */
    record KinesisRecord(String shardId, BigInteger sequenceNumber, long arrivalMillis, byte[] data) {
        TelemetryMessage message() {
            try {
                return TelemetryCodec.decode(data);
            } catch (InvalidTelemetryException e) {
                throw new IllegalStateException(e);
            }
        }

        /** The partition hour: the IoT ingest time, truncated. */
        long hour() {
            Long ingest = message().ingestTs();
            return LakeLayout.hourOf(ingest != null ? ingest : arrivalMillis);
        }
    }

    private LambdaRawFormat() {}

    static byte[] line(KinesisRecord r) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            RawArchiveLine.write(out, r.data(), r.shardId(), r.sequenceNumber().toString(), r.arrivalMillis());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** One Lambda batch of one shard: its records cut into runs of one ingest hour, one object each; returns the keys. */
    static List<String> putBatch(S3Client s3, String bucket, List<KinesisRecord> batch) {
        List<List<KinesisRecord>> runs = new ArrayList<>();
        for (KinesisRecord r : batch) {
            if (runs.isEmpty() || runs.get(runs.size() - 1).get(0).hour() != r.hour()) {
                runs.add(new ArrayList<>());
            }
            runs.get(runs.size() - 1).add(r);
        }
        List<String> keys = new ArrayList<>();
        for (List<KinesisRecord> run : runs) {
            String key = LakeLayout.rawKey(
                    run.get(0).hour(),
                    run.get(0).shardId(),
                    run.get(0).sequenceNumber().toString());
            put(s3, bucket, key, gzip(run.stream().map(LambdaRawFormat::line).toList()));
            keys.add(key);
        }
        return keys;
    }

    static byte[] gzip(List<byte[]> lines) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            for (byte[] line : lines) {
                gz.write(line);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    static void put(S3Client s3, String bucket, String key, byte[] body) {
        s3.putObject(b -> b.bucket(bucket).key(key).contentType("application/gzip"), RequestBody.fromBytes(body));
    }
}
