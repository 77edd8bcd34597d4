package io.github.iottelemetry.localcloud.lambda;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.ExpiredIteratorException;
import software.amazon.awssdk.services.kinesis.model.GetRecordsResponse;
import software.amazon.awssdk.services.kinesis.model.GetShardIteratorRequest;
import software.amazon.awssdk.services.kinesis.model.Record;
import software.amazon.awssdk.services.kinesis.model.Shard;
import software.amazon.awssdk.services.kinesis.model.ShardIteratorType;

/**
 * Lambda's Kinesis event source mapping on the local engine, for one function and one stream.
 *
 * <p>Semantics, as on AWS with ParallelizationFactor 1: each shard has one poller that reads in sequence order
 * and invokes the function with one batch at a time (up to BatchSize records, waiting at most
 * MaximumBatchingWindow to fill it). A batch is done when the function succeeds on it, or when it is discarded
 * to the on-failure destination; only then does the shard's checkpoint move past it (the durable point).
 * <ul>
 * <li>ReportBatchItemFailures: the batch succeeded up to the lowest reported sequence number; the rest is retried.
 *     An identifier that is empty or not in the batch fails the whole batch.</li>
 * <li>Function error (the handler threw): with BisectBatchOnFunctionError the batch is split in two and each half
 *     is tried on its own (splitting does not use up retries); a batch that cannot be split is retried.</li>
 * <li>MaximumRetryAttempts: after that many retries of a batch it goes to the on-failure destination and the shard
 *     moves on (-1: retry until the records expire).</li>
 * <li>MaximumRecordAge: records older than that when their batch would be (re)invoked are discarded to the
 *     on-failure destination instead.</li>
 * <li>Resharding: a shard is read once every parent it has in the stream is done to its end (as Lambda finishes a
 *     parent before its children), from its start; a parent's end is GetRecords answering no next iterator.</li>
 * </ul>
 */
public final class KinesisEventSourceMapping implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(1);

    private final LambdaFunctionHost function;
    private final KinesisEventSource source;
    private final KinesisClient kinesis;
    private final ShardCheckpoints checkpoints;
    private final OnFailureDestination onFailure;
    private final Duration pollInterval;
    private final ExecutorService pollers;
    private final Counters counters = new Counters();
    private volatile boolean running = true;

    /** What the mapping did so far, for tests, benchmarks and the console. */
    public static final class Counters {
        public final LongAdder recordsRead = new LongAdder();
        public final LongAdder recordsSucceeded = new LongAdder();
        public final LongAdder recordsDiscarded = new LongAdder();
        public final LongAdder invocations = new LongAdder();
        public final LongAdder functionErrors = new LongAdder();
        public final LongAdder partialFailures = new LongAdder();
        public final LongAdder bisections = new LongAdder();
        public final LongAdder retries = new LongAdder();
        public final LongAdder injectedFaults = new LongAdder();

        /** Records whose batch is done: succeeded or discarded to the on-failure destination. */
        public long recordsDone() {
            return recordsSucceeded.sum() + recordsDiscarded.sum();
        }

        @Override
        public String toString() {
            return "read " + recordsRead.sum() + ", succeeded " + recordsSucceeded.sum() + ", discarded "
                    + recordsDiscarded.sum()
                    + ", invocations " + invocations.sum() + " (function errors " + functionErrors.sum()
                    + ", partial failures "
                    + partialFailures.sum() + ", bisections " + bisections.sum() + ", retries " + retries.sum() + ")";
        }
    }

    /** Per shard: records read, and Lambda's IteratorAge (the age of a batch's last record when it was delivered). */
    private final Map<String, ShardProgress> shardProgress = new java.util.concurrent.ConcurrentSkipListMap<>();

    private static final class ShardProgress {
        final LongAdder recordsRead = new LongAdder();
        volatile long iteratorAgeMillis = -1;
    }

    /** Per shard: {@code recordsRead} and {@code iteratorAgeMs} (-1 before the first batch), for the console. */
    public Map<String, Map<String, Long>> shardStats() {
        Map<String, Map<String, Long>> stats = new java.util.TreeMap<>();
        shardProgress.forEach((shard, p) ->
                stats.put(shard, Map.of("recordsRead", p.recordsRead.sum(), "iteratorAgeMs", p.iteratorAgeMillis)));
        return stats;
    }

    private final Set<String> startedShards = new HashSet<>();
    private final java.util.Queue<InvocationFault> faults = new java.util.concurrent.ConcurrentLinkedQueue<>();

    /**
     * Failures on Lambda's side, for chaos runs, each applied to the next invocation of any shard: what the mapping
     * sees when a function crashes or times out.
     */
    public enum InvocationFault {
        /** The function fails before doing anything (a crash at start): a function error, so the batch is bisected. */
        FUNCTION_ERROR,
        /**
         * The function times out after the writes for the first half of the batch went through: a function error for
         * the whole batch, which is bisected and retried, so those records are processed again.
         */
        TIMEOUT_AFTER_PARTIAL_WRITES
    }

    /** The next invocation (on any shard) has {@code fault}. */
    public void injectFault(InvocationFault fault) {
        faults.add(fault);
    }

    private KinesisEventSourceMapping(
            LambdaFunctionHost function,
            KinesisEventSource source,
            KinesisClient kinesis,
            Path stateFolder,
            Duration pollInterval) {
        this.function = function;
        this.source = source;
        this.kinesis = kinesis;
        this.checkpoints = ShardCheckpoints.open(stateFolder.resolve("checkpoints-" + source.name() + ".json"));
        this.onFailure = new OnFailureDestination(
                stateFolder.resolve("on-failure.jsonl"),
                source.onFailureDestination().orElse(""));
        this.pollInterval = pollInterval;
        this.pollers = Executors.newCachedThreadPool(runnable -> {
            Thread thread = new Thread(runnable, "esm-" + function.function().logicalId() + "-" + source.name());
            thread.setDaemon(true);
            return thread;
        });
    }

    /**
     * Starts one poller per shard of the source's stream whose parents are done (all of them, without a reshard).
     *
     * @param stateFolder where the checkpoints and {@code on-failure.jsonl} live ({@code <state>/lambda/<Function>})
     * @param pollInterval how long a shard waits after an empty read (Lambda polls about once a second)
     */
    public static KinesisEventSourceMapping start(
            LambdaFunctionHost function,
            KinesisEventSource source,
            KinesisClient kinesis,
            Path stateFolder,
            Duration pollInterval) {
        KinesisEventSourceMapping mapping =
                new KinesisEventSourceMapping(function, source, kinesis, stateFolder, pollInterval);
        mapping.startReadyShards();
        return mapping;
    }

    /** Starts a poller for each shard not started yet whose parents in the stream are all done to their end. */
    private synchronized void startReadyShards() {
        if (!running) {
            return;
        }
        List<Shard> shards = kinesis.listShards(request -> request.streamName(source.streamName()))
                .shards();
        Set<String> inStream = new HashSet<>();
        shards.forEach(shard -> inStream.add(shard.shardId()));
        for (Shard shard : shards) {
            boolean parentsDone = java.util.stream.Stream.of(shard.parentShardId(), shard.adjacentParentShardId())
                    .filter(parent -> parent != null && inStream.contains(parent))
                    .allMatch(checkpoints::ended);
            if (parentsDone && !checkpoints.ended(shard.shardId()) && startedShards.add(shard.shardId())) {
                pollers.submit(() -> poll(shard.shardId()));
            }
        }
    }

    public Counters counters() {
        return counters;
    }

    public Path onFailureFile() {
        return onFailure.file();
    }

    public KinesisEventSource source() {
        return source;
    }

    @Override
    public void close() {
        running = false;
        pollers.shutdownNow();
        try {
            pollers.awaitTermination(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void poll(String shardId) {
        try {
            String iterator = iterator(shardId);
            List<Record> buffer = new ArrayList<>();
            long firstBufferedNanos = 0;
            while (running && (iterator != null || !buffer.isEmpty())) {
                int fetched = 0;
                if (iterator != null && buffer.size() < source.batchSize()) {
                    GetRecordsResponse response;
                    try {
                        String current = iterator;
                        response = kinesis.getRecords(request -> request.shardIterator(current)
                                .limit(Math.min(10_000, source.batchSize() - buffer.size())));
                    } catch (ExpiredIteratorException e) {
                        buffer.clear();
                        iterator = iterator(shardId);
                        continue;
                    }
                    iterator = response.nextShardIterator();
                    fetched = response.records().size();
                    if (iterator == null && !response.hasChildShards()) {
                        // The stream is gone or the engine ended the shard without telling its children: stop here.
                        System.err.println(
                                "event source mapping " + function.function().logicalId() + "/" + source.name() + ": "
                                        + shardId + " ended without child shards");
                    }
                    if (fetched > 0 && buffer.isEmpty()) {
                        firstBufferedNanos = System.nanoTime();
                    }
                    buffer.addAll(response.records());
                    counters.recordsRead.add(fetched);
                    shardProgress
                            .computeIfAbsent(shardId, id -> new ShardProgress())
                            .recordsRead
                            .add(fetched);
                }
                boolean windowOver = System.nanoTime() - firstBufferedNanos
                        >= source.maximumBatchingWindow().toNanos();
                if (!buffer.isEmpty() && (buffer.size() >= source.batchSize() || windowOver || iterator == null)) {
                    List<Record> batch =
                            new ArrayList<>(buffer.subList(0, Math.min(source.batchSize(), buffer.size())));
                    buffer.subList(0, batch.size()).clear();
                    Instant arrival = batch.get(batch.size() - 1).approximateArrivalTimestamp();
                    if (arrival != null) {
                        shardProgress.computeIfAbsent(shardId, id -> new ShardProgress()).iteratorAgeMillis =
                                Math.max(0, System.currentTimeMillis() - arrival.toEpochMilli());
                    }
                    deliver(shardId, batch);
                    firstBufferedNanos = System.nanoTime();
                } else if (fetched == 0) {
                    Thread.sleep(buffer.isEmpty() ? pollInterval.toMillis() : Math.min(pollInterval.toMillis(), 50));
                }
            }
            if (running && iterator == null) {
                checkpoints.end(shardId);
                startReadyShards();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            if (running) {
                System.err.println("event source mapping " + function.function().logicalId() + "/" + source.name()
                        + " on " + shardId + " stopped: " + e);
            }
        }
    }

    private String iterator(String shardId) {
        GetShardIteratorRequest.Builder request = GetShardIteratorRequest.builder()
                .streamName(source.streamName())
                .shardId(shardId);
        boolean child = startedAsChild(shardId);
        checkpoints
                .position(shardId)
                .ifPresentOrElse(
                        done -> request.shardIteratorType(ShardIteratorType.AFTER_SEQUENCE_NUMBER)
                                .startingSequenceNumber(done),
                        () -> {
                            if (child) {
                                request.shardIteratorType(
                                        ShardIteratorType.TRIM_HORIZON); // a child is read from its start
                                return;
                            }
                            switch (source.startingPosition()) {
                                case "TRIM_HORIZON" -> request.shardIteratorType(ShardIteratorType.TRIM_HORIZON);
                                case "AT_TIMESTAMP" ->
                                    request.shardIteratorType(ShardIteratorType.AT_TIMESTAMP)
                                            .timestamp(
                                                    source.startingTimestamp().orElse(Instant.now()));
                                default -> request.shardIteratorType(ShardIteratorType.LATEST);
                            }
                        });
        return kinesis.getShardIterator(request.build()).shardIterator();
    }

    /** Whether the shard has a parent this mapping read to its end (then it starts at the child's first record). */
    private boolean startedAsChild(String shardId) {
        return kinesis.listShards(request -> request.streamName(source.streamName())).shards().stream()
                .filter(shard -> shard.shardId().equals(shardId))
                .anyMatch(shard -> java.util.stream.Stream.of(shard.parentShardId(), shard.adjacentParentShardId())
                        .anyMatch(parent -> parent != null && checkpoints.ended(parent)));
    }

    /** A part of a batch still to be done, with the retries it has used. */
    private record Pending(List<Record> records, int retries) {}

    /** Invokes until every record of the batch is done; returns only then (one batch at a time per shard). */
    private void deliver(String shardId, List<Record> batch) throws InterruptedException {
        Deque<Pending> work = new ArrayDeque<>();
        work.add(new Pending(batch, 0));
        while (!work.isEmpty() && running) {
            Pending pending = work.pollFirst();
            List<Record> records = withoutExpired(shardId, pending.records(), pending.retries());
            if (records.isEmpty()) {
                continue;
            }
            counters.invocations.increment();
            LambdaFunctionHost.Invocation invocation = invoke(shardId, records);
            int failedFrom = invocation.failed() ? 0 : firstFailure(invocation.responseJson(), records);
            if (!invocation.failed() && failedFrom < 0) {
                succeeded(shardId, records);
                continue;
            }
            if (!invocation.failed()) {
                counters.partialFailures.increment();
                succeeded(shardId, records.subList(0, failedFrom));
                records = records.subList(failedFrom, records.size());
            } else {
                counters.functionErrors.increment();
                if (source.bisectBatchOnFunctionError() && records.size() > 1) {
                    counters.bisections.increment();
                    int half = records.size() / 2;
                    work.addFirst(new Pending(records.subList(half, records.size()), pending.retries()));
                    work.addFirst(new Pending(records.subList(0, half), pending.retries()));
                    continue;
                }
            }
            int retries = pending.retries() + 1;
            if (source.maximumRetryAttempts() >= 0 && retries > source.maximumRetryAttempts()) {
                discard(
                        shardId,
                        records,
                        OnFailureDestination.Condition.RetryAttemptsExhausted,
                        retries,
                        invocation.failed() ? "Unhandled" : null);
                continue;
            }
            counters.retries.increment();
            Thread.sleep(Math.min(MAX_BACKOFF.toMillis(), 20L << Math.min(retries, 10)));
            work.addFirst(new Pending(records, retries));
        }
    }

    private LambdaFunctionHost.Invocation invoke(String shardId, List<Record> records) {
        InvocationFault fault = faults.poll();
        if (fault == null) {
            return function.invoke(event(shardId, records), 900_000);
        }
        counters.injectedFaults.increment();
        if (fault == InvocationFault.TIMEOUT_AFTER_PARTIAL_WRITES && records.size() > 1) {
            function.invoke(event(shardId, records.subList(0, records.size() / 2)), 900_000);
        }
        return new LambdaFunctionHost.Invocation(
                null, "Sandbox.Timedout", "injected: " + fault + " on " + records.size() + " records of " + shardId);
    }

    /** Drops records over MaximumRecordAge from the front of a batch to the on-failure destination. */
    private List<Record> withoutExpired(String shardId, List<Record> records, int retries) {
        if (source.maximumRecordAge().isEmpty()) {
            return records;
        }
        Instant oldestAllowed = Instant.now().minus(source.maximumRecordAge().get());
        int expired = 0;
        while (expired < records.size()
                && records.get(expired).approximateArrivalTimestamp().isBefore(oldestAllowed)) {
            expired++;
        }
        if (expired > 0) {
            discard(
                    shardId,
                    records.subList(0, expired),
                    OnFailureDestination.Condition.RecordAgeExceeded,
                    retries,
                    null);
        }
        return records.subList(expired, records.size());
    }

    private void succeeded(String shardId, List<Record> records) {
        if (!records.isEmpty()) {
            counters.recordsSucceeded.add(records.size());
            checkpoints.advance(shardId, records.get(records.size() - 1).sequenceNumber());
        }
    }

    private void discard(
            String shardId,
            List<Record> records,
            OnFailureDestination.Condition condition,
            int invokeCount,
            String functionError) {
        onFailure.send(
                function.function().arn(source.region()),
                source.streamArn(),
                shardId,
                records,
                condition,
                invokeCount,
                functionError);
        counters.recordsDiscarded.add(records.size());
        checkpoints.advance(shardId, records.get(records.size() - 1).sequenceNumber());
    }

    /**
     * The index of the lowest failed record from a StreamsEventResponse, -1 when all succeeded. Without
     * ReportBatchItemFailures the response is ignored; a malformed identifier fails the whole batch (index 0).
     */
    private int firstFailure(String responseJson, List<Record> records) {
        if (!source.reportBatchItemFailures()) {
            return -1;
        }
        JsonNode failures;
        try {
            failures = JSON.readTree(responseJson).path("batchItemFailures");
        } catch (Exception e) {
            return -1;
        }
        if (!failures.isArray() || failures.isEmpty()) {
            return -1;
        }
        Set<String> failed = new HashSet<>();
        failures.forEach(failure -> failed.add(failure.path("itemIdentifier").asText("")));
        for (int i = 0; i < records.size(); i++) {
            if (failed.contains(records.get(i).sequenceNumber())) {
                return i;
            }
        }
        return 0;
    }

    /** The event JSON exactly as Lambda sends it for Kinesis. */
    private String event(String shardId, List<Record> records) {
        ObjectNode event = JSON.createObjectNode();
        ArrayNode array = event.putArray("Records");
        for (Record record : records) {
            ObjectNode entry = array.addObject();
            ObjectNode kinesisRecord = entry.putObject("kinesis");
            kinesisRecord.put("kinesisSchemaVersion", "1.0");
            kinesisRecord.put("partitionKey", record.partitionKey());
            kinesisRecord.put("sequenceNumber", record.sequenceNumber());
            kinesisRecord.put(
                    "data", Base64.getEncoder().encodeToString(record.data().asByteArrayUnsafe()));
            Instant arrival = record.approximateArrivalTimestamp();
            kinesisRecord.put(
                    "approximateArrivalTimestamp",
                    BigDecimal.valueOf(arrival.getEpochSecond())
                            .add(BigDecimal.valueOf(arrival.getNano() / 1_000_000, 3)));
            if (record.encryptionType() != null) {
                kinesisRecord.put("encryptionType", record.encryptionTypeAsString());
            }
            entry.put("eventSource", "aws:kinesis");
            entry.put("eventVersion", "1.0");
            entry.put("eventID", shardId + ":" + record.sequenceNumber());
            entry.put("eventName", "aws:kinesis:record");
            entry.put(
                    "invokeIdentityArn",
                    "arn:aws:iam::" + io.github.iottelemetry.template.PseudoParameters.LOCAL_ACCOUNT_ID + ":role/"
                            + function.function().logicalId() + "Role");
            entry.put("awsRegion", source.region());
            entry.put("eventSourceARN", source.streamArn());
        }
        return event.toString();
    }
}
