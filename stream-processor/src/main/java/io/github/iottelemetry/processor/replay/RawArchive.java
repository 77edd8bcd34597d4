package io.github.iottelemetry.processor.replay;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.zip.GZIPInputStream;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * The lake's raw zone as the ingest Lambda writes it ({@link io.github.iottelemetry.core.lake.LakeLayout}): gzip
 * objects of {@link io.github.iottelemetry.core.lake.RawArchiveLine} lines under {@code raw/dt=YYYY-MM-DD/hour=HH/}.
 */
public final class RawArchive {

    private final S3Client s3;
    private final String bucket;

    public RawArchive(S3Client s3, String bucket) {
        this.s3 = s3;
        this.bucket = bucket;
    }

    public String bucket() {
        return bucket;
    }

    /** The object keys of every hour of {@code range}, hour by hour, each hour in S3's (key) order. */
    public List<String> keys(HourRange range) {
        List<String> keys = new ArrayList<>();
        for (String prefix : range.rawPrefixes()) {
            try {
                s3.listObjectsV2Paginator(b -> b.bucket(bucket).prefix(prefix)).contents().stream()
                        .map(S3Object::key)
                        .filter(key -> !key.endsWith("/")) // a console "folder" marker, not an object of records
                        .forEach(keys::add);
            } catch (SdkException e) {
                throw new IllegalStateException("cannot list s3://" + bucket + "/" + prefix + ": " + e.getMessage(), e);
            }
        }
        return keys;
    }

    /**
     * An object's lines (without newlines; blank lines are kept so that line numbers stay those of the file).
     *
     * @param brokenAfter why the content after these lines could not be read (a truncated or corrupt gzip stream),
     *                    empty when the whole object was read
     */
    public record ObjectLines(List<byte[]> lines, Optional<String> brokenAfter) {}

    /**
     * Reads and decompresses one object. An object S3 refuses (gone since the listing, access denied) or that is
     * not gzip at all is a {@link RawInputProblem#UNREADABLE_OBJECT}; S3 being unreachable or failing (5xx) is not
     * a problem of the input and stops the replay.
     */
    public ObjectLines read(String key) throws RawInputException {
        ByteArrayOutputStream content = new ByteArrayOutputStream();
        Optional<String> broken = Optional.empty();
        try (ResponseInputStream<GetObjectResponse> object =
                s3.getObject(b -> b.bucket(bucket).key(key))) {
            try (InputStream gzip = new GZIPInputStream(object, 1 << 16)) {
                gzip.transferTo(content);
            } catch (IOException e) {
                if (content.size() == 0) {
                    throw new RawInputException(RawInputProblem.UNREADABLE_OBJECT, "not readable as gzip: " + e);
                }
                broken = Optional.of("gzip data broken: " + e);
            }
        } catch (S3Exception e) {
            if (e.statusCode() >= 500) {
                throw new IllegalStateException("s3://" + bucket + "/" + key + ": S3 failed: " + e.getMessage(), e);
            }
            throw new RawInputException(
                    RawInputProblem.UNREADABLE_OBJECT,
                    "S3 refused it: " + e.awsErrorDetails().errorCode() + " (" + e.statusCode() + ")");
        } catch (SdkException e) {
            throw new IllegalStateException("s3://" + bucket + "/" + key + ": cannot fetch it: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new IllegalStateException("s3://" + bucket + "/" + key + ": cannot fetch it: " + e, e);
        }
        return new ObjectLines(splitLines(content.toByteArray(), broken.isPresent()), broken);
    }

    /** Splits on '\n' (dropping a '\r' before it); when {@code dropPartialLast}, an unterminated last line is dropped. */
    static List<byte[]> splitLines(byte[] content, boolean dropPartialLast) {
        List<byte[]> lines = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < content.length; i++) {
            if (content[i] == '\n') {
                int end = i > start && content[i - 1] == '\r' ? i - 1 : i;
                lines.add(Arrays.copyOfRange(content, start, end));
                start = i + 1;
            }
        }
        if (start < content.length && !dropPartialLast) {
            lines.add(Arrays.copyOfRange(content, start, content.length));
        }
        return lines;
    }
}
