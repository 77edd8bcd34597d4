package io.github.iottelemetry.processor;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ProjectionType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.StreamStatus;

/**
 * Stream-processor workers as their own JVMs on the local cloud (as ECS runs them: by main class, so a test
 * can SIGKILL one), each on a fresh stream and lease table, and what their lease table shows.
 */
public final class LocalWorkers implements AutoCloseable {
    /**
     * The task's root file system is read-only on Fargate: a worker must write no file. Under /dev/null nothing can be
     * created, even by root (tests here may run as root, which ignores permissions), so any temp file fails the worker.
     */
    static final String NO_TEMP_FOLDER = "/dev/null/no-temp-folder";

    private final Map<String, String> environment;
    private final String stream;
    private final String application;
    private final Path logs;
    private final List<Process> processes = new ArrayList<>();

    /**
     * Creates a {@code shards}-shard stream and KCL's lease table for {@code run} with its GSI (as the template does:
     * workers skip KCL's wait for it; KCL 3.5 keeps coordinator state and worker metrics in it).
     */
    public LocalWorkers(
            Map<String, String> environment,
            KinesisClient kinesis,
            DynamoDbClient dynamo,
            String run,
            int shards,
            Path logs)
            throws IOException, InterruptedException {
        this(environment, kinesis, dynamo, run, shards, logs, true);
    }

    /**
     * As above; without {@code leaseIndex} the lease table has no LeaseOwnerToLeaseKeyIndex (as when KCL creates the
     * table itself), so the workers create the index when they start.
     */
    public LocalWorkers(
            Map<String, String> environment,
            KinesisClient kinesis,
            DynamoDbClient dynamo,
            String run,
            int shards,
            Path logs,
            boolean leaseIndex)
            throws IOException, InterruptedException {
        this.environment = environment;
        this.stream = run + "-telemetry";
        this.application = run + "-stream-processor";
        this.logs = Files.createDirectories(logs);
        kinesis.createStream(b -> b.streamName(stream).shardCount(shards));
        createLeaseTables(dynamo, application, leaseIndex);
        awaitActive(kinesis, stream);
    }

    public String stream() {
        return stream;
    }

    public String application() {
        return application;
    }

    /** Starts worker {@code id}: fast leases, 200 ms polls, {@code extraEnvironment} on top of the local cloud's. */
    public Process start(String id, Map<String, String> extraEnvironment, String... extraArguments) throws IOException {
        return start(id, extraEnvironment, null, extraArguments);
    }

    /** As above, with {@code classpathFirst} (when not null) ahead of the test class path. */
    public Process start(String id, Map<String, String> extraEnvironment, Path classpathFirst, String... extraArguments)
            throws IOException {
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        if (classpathFirst != null) {
            classpath = classpathFirst + java.io.File.pathSeparator + classpath;
        }
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m",
                "-XX:TieredStopAtLevel=1",
                "-XX:-UsePerfData",
                "-Djava.io.tmpdir=" + NO_TEMP_FOLDER,
                "-cp",
                classpath,
                "io.github.iottelemetry.processor.cli.StreamProcessorCommand",
                "--stream",
                stream,
                "--application-name",
                application,
                "--worker-id",
                id,
                "--fast-leases",
                "--poll-interval-ms",
                "200",
                "--write-threads",
                "8"));
        command.addAll(List.of(extraArguments));
        ProcessBuilder pb = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(logs.resolve(id + ".log").toFile());
        pb.environment().putAll(environment);
        pb.environment().putAll(extraEnvironment);
        Process p = pb.start();
        processes.add(p);
        return p;
    }

    /** Waits until each of the stream's shards has a lease with an owner; returns shard to owner. */
    public Map<String, String> awaitEveryShardOwned(DynamoDbClient dynamo, int shards, Duration timeout)
            throws InterruptedException {
        return Awaitility.await("the workers take all " + shards + " leases (see " + logs + "/*.log)")
                .atMost(timeout)
                .pollInterval(Duration.ofMillis(250))
                .until(() -> leaseOwners(dynamo), owners -> owners.size() == shards);
    }

    /** Shard to owner of the leases that are owned and checkpointed (KCL 3 also keeps other items in the table). */
    public Map<String, String> leaseOwners(DynamoDbClient dynamo) {
        Map<String, String> owners = new TreeMap<>();
        for (Map<String, AttributeValue> lease :
                dynamo.scan(b -> b.tableName(application).consistentRead(true)).items()) {
            if (lease.containsKey("leaseOwner") && lease.containsKey("checkpoint")) {
                owners.put(lease.get("leaseKey").s(), lease.get("leaseOwner").s());
            }
        }
        return owners;
    }

    /** The shard's checkpoint: a sequence number, or TRIM_HORIZON / LATEST / SHARD_END; null without a lease. */
    public String checkpoint(DynamoDbClient dynamo, String shard) {
        Map<String, AttributeValue> lease = dynamo.getItem(b -> b.tableName(application)
                        .consistentRead(true)
                        .key(Map.of("leaseKey", AttributeValue.fromS(shard))))
                .item();
        return lease.containsKey("checkpoint") ? lease.get("checkpoint").s() : null;
    }

    /** Stops every worker still running, abruptly (tests and benchmarks end, nothing to hand over). */
    @Override
    public void close() throws InterruptedException {
        for (Process p : processes) {
            p.destroyForcibly();
            p.waitFor(10, TimeUnit.SECONDS);
        }
    }

    private static void awaitActive(KinesisClient kinesis, String stream) throws InterruptedException {
        for (int i = 0; i < 100; i++) {
            if (kinesis.describeStreamSummary(b -> b.streamName(stream))
                            .streamDescriptionSummary()
                            .streamStatus()
                    == StreamStatus.ACTIVE) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("stream " + stream + " did not become ACTIVE in 10 s");
    }

    private static void createLeaseTables(DynamoDbClient dynamo, String application, boolean leaseIndex) {
        if (!leaseIndex) {
            dynamo.createTable(b -> b.tableName(application)
                    .billingMode(BillingMode.PAY_PER_REQUEST)
                    .attributeDefinitions(a -> a.attributeName("leaseKey").attributeType(ScalarAttributeType.S))
                    .keySchema(k -> k.attributeName("leaseKey").keyType(KeyType.HASH)));
            return;
        }
        dynamo.createTable(b -> b.tableName(application)
                .billingMode(BillingMode.PAY_PER_REQUEST)
                .attributeDefinitions(
                        a -> a.attributeName("leaseKey").attributeType(ScalarAttributeType.S),
                        a -> a.attributeName("leaseOwner").attributeType(ScalarAttributeType.S))
                .keySchema(k -> k.attributeName("leaseKey").keyType(KeyType.HASH))
                .globalSecondaryIndexes(g -> g.indexName("LeaseOwnerToLeaseKeyIndex")
                        .keySchema(
                                k -> k.attributeName("leaseOwner").keyType(KeyType.HASH),
                                k -> k.attributeName("leaseKey").keyType(KeyType.RANGE))
                        .projection(p -> p.projectionType(ProjectionType.KEYS_ONLY))));
    }
}
