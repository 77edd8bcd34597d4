package io.github.iottelemetry.localcloud.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.iottelemetry.localcloud.LocalCloud;
import io.github.iottelemetry.localcloud.LocalCloudExtension;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * The local S3 answers conditional writes as S3 does, atomically: of writers that race with the same
 * condition exactly one wins, the others get 412. The lake writer's exactness rests on this.
 */
@ExtendWith(LocalCloudExtension.class)
class ConditionalWritesIT {

    private static final int WRITERS = 12;
    private static final int ROUNDS = 15;

    @Test
    void ofWritersRacingToCreateOrReplaceOneObjectOnTheSameConditionExactlyOneWins(LocalCloud cloud) throws Exception {
        S3Client s3 = cloud.s3();
        String bucket = cloud.environment().get("LAKE_BUCKET");
        String key = "conditional/" + UUID.randomUUID();
        ExecutorService writers = Executors.newFixedThreadPool(WRITERS);
        try {
            assertThat(race(
                            writers,
                            w -> s3.putObject(
                                    b -> b.bucket(bucket).key(key).ifNoneMatch("*"),
                                    RequestBody.fromString("created by " + w))))
                    .as("creations that succeeded")
                    .isEqualTo(1);
            for (int round = 0; round < ROUNDS; round++) {
                String eTag = s3.headObject(b -> b.bucket(bucket).key(key)).eTag();
                int r = round;
                assertThat(race(
                                writers,
                                w -> s3.putObject(
                                        b -> b.bucket(bucket).key(key).ifMatch(eTag),
                                        RequestBody.fromString("round " + r + " writer " + w))))
                        .as("round %d: replacements that succeeded", round)
                        .isEqualTo(1);
            }
        } finally {
            writers.shutdownNow();
        }
    }

    @Test
    void conditionsAreCheckedAsS3ChecksThem(LocalCloud cloud) {
        S3Client s3 = cloud.s3();
        String bucket = cloud.environment().get("LAKE_BUCKET");
        String key = "conditional/" + UUID.randomUUID();
        assertThatThrownBy(() ->
                        s3.putObject(b -> b.bucket(bucket).key(key).ifMatch("\"0123\""), RequestBody.fromString("x")))
                .isInstanceOfSatisfying(
                        S3Exception.class, e -> assertThat(e.statusCode()).isEqualTo(404));
        String eTag = s3.putObject(b -> b.bucket(bucket).key(key).ifNoneMatch("*"), RequestBody.fromString("first"))
                .eTag();
        assertThatThrownBy(() ->
                        s3.putObject(b -> b.bucket(bucket).key(key).ifNoneMatch("*"), RequestBody.fromString("again")))
                .isInstanceOfSatisfying(
                        S3Exception.class, e -> assertThat(e.statusCode()).isEqualTo(412));
        assertThatThrownBy(() ->
                        s3.putObject(b -> b.bucket(bucket).key(key).ifMatch("\"0123\""), RequestBody.fromString("x")))
                .isInstanceOfSatisfying(
                        S3Exception.class, e -> assertThat(e.statusCode()).isEqualTo(412));
        s3.putObject(b -> b.bucket(bucket).key(key).ifMatch(eTag), RequestBody.fromString("second"));
        assertThat(s3.getObjectAsBytes(b -> b.bucket(bucket).key(key)).asUtf8String())
                .isEqualTo("second");
    }

    @Test
    void aReaderGetsOneWholeVersionWhileWritersReplaceTheObject(LocalCloud cloud) throws Exception {
        S3Client s3 = cloud.s3();
        String bucket = cloud.environment().get("LAKE_BUCKET");
        String key = "versions/" + UUID.randomUUID();
        // Versions of different lengths, each line naming its version: a body cut short or mixed shows.
        List<String> versions = new ArrayList<>();
        for (int v = 0; v < 6; v++) {
            versions.add(("version " + v + "\n").repeat(2_000 * (v + 1)));
        }
        s3.putObject(b -> b.bucket(bucket).key(key), RequestBody.fromString(versions.get(0)));
        ExecutorService pool = Executors.newFixedThreadPool(4);
        java.util.concurrent.atomic.AtomicBoolean writing = new java.util.concurrent.atomic.AtomicBoolean(true);
        try {
            Future<?> writer = pool.submit(() -> {
                for (int i = 0; i < 150; i++) {
                    String body = versions.get(i % versions.size());
                    s3.putObject(b -> b.bucket(bucket).key(key), RequestBody.fromString(body));
                }
                writing.set(false);
            });
            List<Future<Integer>> readers = new ArrayList<>();
            for (int r = 0; r < 3; r++) {
                readers.add(pool.submit(() -> {
                    int reads = 0;
                    while (writing.get()) {
                        String read = s3.getObjectAsBytes(b -> b.bucket(bucket).key(key))
                                .asUtf8String();
                        assertThat(versions)
                                .as("read %d: %d characters", reads, read.length())
                                .contains(read);
                        reads++;
                    }
                    return reads;
                }));
            }
            writer.get();
            for (Future<Integer> reader : readers) {
                assertThat(reader.get()).isPositive();
            }
        } finally {
            pool.shutdownNow();
        }
    }

    /** Runs one write per writer, all released at once; returns how many succeeded (the others must get 412). */
    private static int race(ExecutorService pool, Write write) throws Exception {
        CyclicBarrier start = new CyclicBarrier(WRITERS);
        List<Future<Boolean>> outcomes = new ArrayList<>();
        for (int w = 0; w < WRITERS; w++) {
            int writer = w;
            outcomes.add(pool.submit((Callable<Boolean>) () -> {
                start.await();
                try {
                    write.put(writer);
                    return true;
                } catch (S3Exception e) {
                    assertThat(e.statusCode()).as("a losing writer's status").isEqualTo(412);
                    return false;
                }
            }));
        }
        int won = 0;
        for (Future<Boolean> outcome : outcomes) {
            won += outcome.get() ? 1 : 0;
        }
        return won;
    }

    private interface Write {
        void put(int writer);
    }
}
