package io.github.iottelemetry.localiot.actions;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequestEntry;
import software.amazon.awssdk.services.kinesis.model.PutRecordsResponse;
import software.amazon.awssdk.services.kinesis.model.PutRecordsResultEntry;
import software.amazon.awssdk.services.kinesis.model.Shard;

/**
 * The Kinesis action's transport: records are queued per shard (the shard the partition key hashes to) and a
 * sender per shard sends them with PutRecords after a short linger or as soon as 500 are waiting.
 *
 * <p>Order per partition key is kept, including across retries: a batch holds at most one record per partition
 * key (the next one waits for the next batch), and records that failed inside a batch go back to the head of
 * their queue, ahead of every later record with the same key. Throttled and internal failures are retried with
 * backoff; after the last attempt, or on an error no retry can fix (a stream that does not exist), the record's
 * future fails and the rule's error action takes over.
 */
public final class KinesisBatcher implements AutoCloseable {

    public static final int MAX_RECORDS_PER_REQUEST = 500;
    private static final int MAX_BYTES_PER_REQUEST = 5 * 1024 * 1024;
    /** Beyond this many queued records per shard, callers (broker threads) wait: back pressure, not loss. */
    private static final int MAX_QUEUED_PER_SHARD = 50_000;

    private static final int MAX_ATTEMPTS = 5;

    private final KinesisClient kinesis;
    private final Duration linger;
    private final Map<String, StreamLanes> streams = new ConcurrentHashMap<>();
    private volatile boolean closed;

    public KinesisBatcher(KinesisClient kinesis, Duration linger) {
        this.kinesis = kinesis;
        this.linger = linger;
    }

    /** Completes when Kinesis has the record; fails with a message naming the stream and the error. */
    public CompletableFuture<Void> put(String streamName, String partitionKey, byte[] data) {
        if (closed) {
            return CompletableFuture.failedFuture(
                    new IllegalStateException("Kinesis action is shut down; record for " + streamName + " not sent"));
        }
        PendingRecord record = new PendingRecord(partitionKey, data, new CompletableFuture<>());
        streams.computeIfAbsent(streamName, StreamLanes::new)
                .laneFor(partitionKey)
                .add(record);
        return record.done();
    }

    /**
     * Per stream and shard: records put ({@code put}), put attempts refused by Kinesis ({@code refused}) and records
     * waiting in the queue ({@code queued}), for the console.
     */
    public Map<String, Map<String, Map<String, Long>>> stats() {
        Map<String, Map<String, Map<String, Long>>> stats = new java.util.TreeMap<>();
        streams.forEach((stream, lanes) -> {
            Map<String, Map<String, Long>> shards = new java.util.TreeMap<>();
            for (Lane lane : lanes.lanes) {
                shards.put(lane.shard, Map.of("put", lane.put.sum(), "refused", lane.refused.sum(), "queued", (long)
                        lane.queued()));
            }
            stats.put(stream, shards);
        });
        return stats;
    }

    /** Sends what is queued (each sender waits up to 10 s), then stops the senders. */
    @Override
    public void close() {
        closed = true;
        streams.values().forEach(StreamLanes::close);
    }

    private record PendingRecord(String partitionKey, byte[] data, CompletableFuture<Void> done) {}

    /** The shards of one stream, looked up once; a stream that cannot be described gets a single lane, whose sends then fail. */
    private final class StreamLanes {
        private final String streamName;
        private final List<Lane> lanes = new ArrayList<>();
        private final List<BigInteger> laneStartHashKeys = new ArrayList<>();

        StreamLanes(String streamName) {
            this.streamName = streamName;
            List<Shard> shards;
            try {
                shards = kinesis.listShards(request -> request.streamName(streamName)).shards().stream()
                        .filter(shard -> shard.sequenceNumberRange().endingSequenceNumber() == null)
                        .sorted((a, b) -> new BigInteger(a.hashKeyRange().startingHashKey())
                                .compareTo(new BigInteger(b.hashKeyRange().startingHashKey())))
                        .toList();
            } catch (RuntimeException e) {
                shards = List.of();
            }
            if (shards.isEmpty()) {
                laneStartHashKeys.add(BigInteger.ZERO);
                lanes.add(new Lane(streamName, "no shard list"));
            }
            for (Shard shard : shards) {
                laneStartHashKeys.add(new BigInteger(shard.hashKeyRange().startingHashKey()));
                lanes.add(new Lane(streamName, shard.shardId()));
            }
        }

        Lane laneFor(String partitionKey) {
            if (lanes.size() == 1) {
                return lanes.get(0);
            }
            BigInteger hash = new BigInteger(1, md5(partitionKey));
            int index = 0;
            for (int i = 1; i < laneStartHashKeys.size() && hash.compareTo(laneStartHashKeys.get(i)) >= 0; i++) {
                index = i;
            }
            return lanes.get(index);
        }

        void close() {
            lanes.forEach(Lane::close);
        }
    }

    private static byte[] md5(String partitionKey) {
        try {
            return MessageDigest.getInstance("MD5").digest(partitionKey.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("MD5 is required by every JVM", e);
        }
    }

    /** One shard's queue and its sender thread. */
    private final class Lane implements Runnable {
        private final String streamName;
        private final String shard;
        private final ReentrantLock lock = new ReentrantLock();
        private final Condition changed = lock.newCondition();
        private final ArrayDeque<PendingRecord> queue = new ArrayDeque<>();
        private final Map<PendingRecord, Integer> attempts = new java.util.IdentityHashMap<>();
        private long oldestQueuedNanos;
        private boolean stopping;
        private final java.util.concurrent.atomic.LongAdder put = new java.util.concurrent.atomic.LongAdder();
        private final java.util.concurrent.atomic.LongAdder refused = new java.util.concurrent.atomic.LongAdder();
        private final Thread sender;

        Lane(String streamName, String shard) {
            this.streamName = streamName;
            this.shard = shard;
            this.sender = new Thread(this, "kinesis-action-" + streamName + "-" + shard);
            sender.setDaemon(true);
            sender.start();
        }

        void add(PendingRecord record) {
            lock.lock();
            try {
                while (queue.size() >= MAX_QUEUED_PER_SHARD && !stopping) {
                    changed.awaitUninterruptibly();
                }
                if (queue.isEmpty()) {
                    oldestQueuedNanos = System.nanoTime();
                }
                queue.addLast(record);
                if (queue.size() == 1 || queue.size() >= MAX_RECORDS_PER_REQUEST) {
                    changed.signalAll();
                }
            } finally {
                lock.unlock();
            }
        }

        @Override
        public void run() {
            while (true) {
                List<PendingRecord> batch = nextBatch();
                if (batch == null) {
                    return;
                }
                send(batch);
            }
        }

        /** Waits for records and the linger, then takes up to 500 with distinct partition keys; null when stopped and empty. */
        private List<PendingRecord> nextBatch() {
            lock.lock();
            try {
                while (true) {
                    if (queue.isEmpty()) {
                        if (stopping) {
                            return null;
                        }
                        changed.awaitUninterruptibly();
                        continue;
                    }
                    long waitNanos = oldestQueuedNanos + linger.toNanos() - System.nanoTime();
                    if (waitNanos > 0 && queue.size() < MAX_RECORDS_PER_REQUEST && !stopping) {
                        changed.awaitNanos(waitNanos);
                        continue;
                    }
                    List<PendingRecord> batch = new ArrayList<>();
                    Set<String> keys = new HashSet<>();
                    int bytes = 0;
                    Iterator<PendingRecord> iterator = queue.iterator();
                    while (iterator.hasNext() && batch.size() < MAX_RECORDS_PER_REQUEST) {
                        PendingRecord record = iterator.next();
                        int size = record.data().length + record.partitionKey().length();
                        if (bytes + size > MAX_BYTES_PER_REQUEST && !batch.isEmpty()) {
                            break;
                        }
                        if (keys.add(record.partitionKey())) {
                            iterator.remove();
                            batch.add(record);
                            bytes += size;
                        }
                    }
                    oldestQueuedNanos = System.nanoTime();
                    changed.signalAll();
                    return batch;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return null;
            } finally {
                lock.unlock();
            }
        }

        private void send(List<PendingRecord> batch) {
            List<PutRecordsRequestEntry> entries = new ArrayList<>(batch.size());
            for (PendingRecord record : batch) {
                entries.add(PutRecordsRequestEntry.builder()
                        .partitionKey(record.partitionKey())
                        .data(SdkBytes.fromByteArrayUnsafe(record.data()))
                        .build());
            }
            List<PendingRecord> retry = new ArrayList<>();
            String lastError;
            try {
                PutRecordsResponse response = kinesis.putRecords(
                        request -> request.streamName(streamName).records(entries));
                List<PutRecordsResultEntry> results = response.records();
                lastError = null;
                for (int i = 0; i < batch.size(); i++) {
                    PutRecordsResultEntry result = results.get(i);
                    PendingRecord record = batch.get(i);
                    if (result.errorCode() == null) {
                        put.increment();
                        attempts.remove(record);
                        record.done().complete(null);
                    } else {
                        refused.increment();
                        retryOrFail(
                                record,
                                retry,
                                true,
                                "PutRecords to stream " + streamName + " (" + shard + ") failed: " + result.errorCode()
                                        + " " + result.errorMessage());
                    }
                }
            } catch (AwsServiceException e) {
                refused.add(batch.size());
                boolean retryable = e.isThrottlingException() || e.statusCode() >= 500;
                lastError = "PutRecords to stream " + streamName + " failed: "
                        + e.awsErrorDetails().errorCode() + " "
                        + e.awsErrorDetails().errorMessage();
                for (PendingRecord record : batch) {
                    retryOrFail(record, retry, retryable, lastError);
                }
            } catch (RuntimeException e) {
                lastError = "PutRecords to stream " + streamName + " failed: " + e;
                for (PendingRecord record : batch) {
                    retryOrFail(record, retry, true, lastError);
                }
            }
            if (!retry.isEmpty()) {
                int attempt = retry.stream()
                        .mapToInt(record -> attempts.getOrDefault(record, 1))
                        .max()
                        .orElse(1);
                sleepBackoff(attempt);
                requeueAtHead(retry);
            }
        }

        private void retryOrFail(PendingRecord record, List<PendingRecord> retry, boolean retryable, String error) {
            int attempt = attempts.getOrDefault(record, 0) + 1;
            if (retryable && attempt < MAX_ATTEMPTS && !closed) {
                attempts.put(record, attempt);
                retry.add(record);
            } else {
                attempts.remove(record);
                record.done()
                        .completeExceptionally(new IllegalStateException(error + " (attempt " + attempt + " of "
                                + MAX_ATTEMPTS + (retryable ? "" : ", not retryable") + ")"));
            }
        }

        int queued() {
            lock.lock();
            try {
                return queue.size();
            } finally {
                lock.unlock();
            }
        }

        /** Failed records precede every record still queued with the same key, so putting them first keeps key order. */
        private void requeueAtHead(List<PendingRecord> retry) {
            lock.lock();
            try {
                for (int i = retry.size() - 1; i >= 0; i--) {
                    queue.addFirst(retry.get(i));
                }
                oldestQueuedNanos = System.nanoTime() - linger.toNanos();
                changed.signalAll();
            } finally {
                lock.unlock();
            }
        }

        private void sleepBackoff(int attempt) {
            try {
                TimeUnit.MILLISECONDS.sleep(Math.min(1000, 50L << Math.min(attempt, 5)));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        void close() {
            lock.lock();
            try {
                stopping = true;
                changed.signalAll();
            } finally {
                lock.unlock();
            }
            try {
                sender.join(TimeUnit.SECONDS.toMillis(10));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
