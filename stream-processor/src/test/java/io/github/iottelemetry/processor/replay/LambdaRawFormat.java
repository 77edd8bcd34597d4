package io.github.iottelemetry.processor.replay;

import io.github.iottelemetry.core.payload.TelemetryCodec;
import io.github.iottelemetry.core.payload.TelemetryMessage;
import io.github.iottelemetry.core.validation.InvalidTelemetryException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.GZIPOutputStream;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The raw zone as the ingest Lambda writes it (DESIGN.md's storage contract): per batch and ingest hour one
 * gzip object {@code raw/dt=YYYY-MM-DD/hour=HH/<shardId>-<firstSeq>-<lastSeq>.json.gz}, each line the record's
 * bytes up to its closing brace, then {@code ,"kinesisShardId":..,"kinesisSequenceNumber":..,"kinesisArrivalTs":..}.
 * Written from the contract, not from the Lambda's classes: stream-processor does not depend on ingest-lambda.
 */
final class LambdaRawFormat {
    private static final DateTimeFormatter DT = DateTimeFormatter.ofPattern("yyyy-MM-dd").withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter HH = DateTimeFormatter.ofPattern("HH").withZone(ZoneOffset.UTC);

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
            return Math.floorDiv(ingest != null ? ingest : arrivalMillis, 3_600_000L) * 3_600_000L;
        }
    }

    private LambdaRawFormat() {
    }

    static byte[] line(KinesisRecord r) {
        byte[] d = r.data();
        int end = d.length - 1;
        while (d[end] != '}') {
            end--;
        }
        byte[] splice = (",\"kinesisShardId\":\"" + r.shardId() + "\",\"kinesisSequenceNumber\":\"" + r.sequenceNumber()
                + "\",\"kinesisArrivalTs\":" + r.arrivalMillis() + "}\n").getBytes(StandardCharsets.UTF_8);
        byte[] line = Arrays.copyOf(d, end + splice.length);
        System.arraycopy(splice, 0, line, end, splice.length);
        return line;
    }

    static String key(long hour, String shardId, BigInteger first, BigInteger last) {
        Instant t = Instant.ofEpochMilli(hour);
        return "raw/dt=" + DT.format(t) + "/hour=" + HH.format(t) + "/" + shardId + "-" + first + "-" + last + ".json.gz";
    }

    /** One Lambda batch of one shard: its records split by ingest hour, one object each; returns the keys. */
    static List<String> putBatch(S3Client s3, String bucket, List<KinesisRecord> batch) {
        Map<Long, List<KinesisRecord>> byHour = new TreeMap<>();
        batch.forEach(r -> byHour.computeIfAbsent(r.hour(), h -> new ArrayList<>()).add(r));
        List<String> keys = new ArrayList<>();
        byHour.forEach((hour, records) -> {
            List<byte[]> lines = records.stream().map(LambdaRawFormat::line).toList();
            String key = key(hour, records.get(0).shardId(), records.get(0).sequenceNumber(),
                    records.get(records.size() - 1).sequenceNumber());
            put(s3, bucket, key, gzip(lines));
            keys.add(key);
        });
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
