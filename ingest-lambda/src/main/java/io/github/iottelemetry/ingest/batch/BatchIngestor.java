package io.github.iottelemetry.ingest.batch;

import io.github.iottelemetry.core.payload.TelemetryMessage;
import io.github.iottelemetry.core.validation.ReasonCode;
import io.github.iottelemetry.core.validation.TelemetryValidator;
import io.github.iottelemetry.core.validation.ValidationResult;
import io.github.iottelemetry.ingest.lake.LakeKeys;
import io.github.iottelemetry.ingest.lake.LakeWriter;
import io.github.iottelemetry.ingest.state.DeviceStateStore;
import java.time.Clock;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Ingests one Kinesis batch: every record ends valid (device state + raw archive) or quarantined
 * with its reason; nothing is lost and a bad record never blocks the shard.
 *
 * <p>Durability order, which is what makes retries safe:
 * <ol>
 *   <li>quarantine objects and device-state writes, concurrently (each idempotent: deterministic
 *       keys, conditional writes on seq);</li>
 *   <li>the raw archive, only for valid records <em>before</em> the first record that failed
 *       transiently: Lambda retries the shard from that record, so those later records are archived
 *       by the retry, under the retry's key, and never twice.</li>
 * </ol>
 * Transient failures (throttling, timeouts, 5xx) are reported per record; anything else (a missing
 * table, access denied) fails the invocation, since no retry of a single record could fix it.
 */
public final class BatchIngestor {
    private static final Logger LOG = LoggerFactory.getLogger(BatchIngestor.class);

    private final TelemetryValidator validator;
    private final DeviceStateStore state;
    private final LakeWriter lake;
    private final ExecutorService io;
    private final Clock clock;

    public BatchIngestor(TelemetryValidator validator, DeviceStateStore state, LakeWriter lake, ExecutorService io, Clock clock) {
        this.validator = validator;
        this.state = state;
        this.lake = lake;
        this.io = io;
        this.clock = clock;
    }

    private record Valid(IngestRecord record, TelemetryMessage message) {
    }

    public BatchOutcome ingest(List<IngestRecord> records) {
        long t0 = System.nanoTime();
        long now = clock.millis();
        List<Valid> valid = new ArrayList<>(records.size());
        Map<ReasonCode, Integer> quarantinedCounts = new EnumMap<>(ReasonCode.class);
        Set<String> seen = new HashSet<>();
        int duplicates = 0;
        long maxLag = 0;
        List<CompletableFuture<Void>> writes = new ArrayList<>();
        TreeSet<Integer> failed = new TreeSet<>();
        List<RuntimeException> fatal = new ArrayList<>();

        for (IngestRecord r : records) {
            ValidationResult result = validator.validate(r.data(), r.arrivalMillis());
            if (result instanceof ValidationResult.Valid v) {
                TelemetryMessage m = v.message();
                maxLag = Math.max(maxLag, now - ingestTime(r, m));
                if (!seen.add(m.deviceId() + "#" + m.seq())) {
                    duplicates++; // the same message twice in one batch (MQTT redelivery): dropped, counted
                    continue;
                }
                valid.add(new Valid(r, m));
            } else {
                ValidationResult.Quarantined q = (ValidationResult.Quarantined) result;
                quarantinedCounts.merge(q.reason(), 1, Integer::sum);
                logQuarantine(r, q);
                writes.add(track(r.index(), failed, fatal, () -> lake.putQuarantine(r, q.reason(), q.detail())));
            }
        }
        long t1 = System.nanoTime();

        // One state write per device: its newest message in this batch.
        Map<String, Valid> newestPerDevice = new HashMap<>();
        for (Valid v : valid) {
            newestPerDevice.merge(v.message().deviceId(), v, (a, b) -> b.message().seq() > a.message().seq() ? b : a);
        }
        int[] stale = new int[1];
        for (Valid v : newestPerDevice.values()) {
            writes.add(track(v.record().index(), failed, fatal, () -> {
                if (!state.putIfNewer(v.message(), now)) {
                    synchronized (stale) {
                        stale[0]++;
                    }
                }
                return null;
            }));
        }
        joinAll(writes);
        rethrowFatal(fatal);
        long t2 = System.nanoTime();

        int firstFailure = failed.isEmpty() ? Integer.MAX_VALUE : failed.first();
        Map<Long, List<IngestRecord>> byHour = new TreeMap<>();
        for (Valid v : valid) {
            if (v.record().index() < firstFailure) {
                byHour.computeIfAbsent(LakeKeys.hourOf(ingestTime(v.record(), v.message())), h -> new ArrayList<>()).add(v.record());
            }
        }
        List<CompletableFuture<Void>> rawWrites = new ArrayList<>();
        for (Map.Entry<Long, List<IngestRecord>> e : byHour.entrySet()) {
            List<IngestRecord> group = e.getValue();
            rawWrites.add(track(group.get(0).index(), failed, fatal, () -> lake.putRaw(e.getKey(), group)));
        }
        joinAll(rawWrites);
        rethrowFatal(fatal);
        long t3 = System.nanoTime();

        List<String> failedSeqs = new ArrayList<>();
        for (int i : failed) {
            failedSeqs.add(records.get(i).sequenceNumber());
        }
        int rawObjects = byHour.size() - (int) byHour.values().stream().filter(g -> failed.contains(g.get(0).index())).count();
        return new BatchOutcome(records.size(), valid.size(), quarantinedCounts, duplicates,
                newestPerDevice.size() - stale[0], stale[0], rawObjects, maxLag, failedSeqs,
                new BatchOutcome.Timings(t1 - t0, t2 - t1, t3 - t2));
    }

    /** Runs a write on the I/O pool; a transient failure marks the record, anything else is fatal. */
    private CompletableFuture<Void> track(int index, Set<Integer> failed, List<RuntimeException> fatal, Supplier<?> write) {
        return CompletableFuture.supplyAsync(write, io).handle((ok, error) -> {
            if (error != null) {
                Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
                if (TransientFailures.isTransient(cause)) {
                    synchronized (failed) {
                        failed.add(index);
                    }
                    LOG.warn("transient failure, the record will be retried: {}", cause.toString());
                } else {
                    synchronized (fatal) {
                        fatal.add(cause instanceof RuntimeException re ? re : new IllegalStateException(cause));
                    }
                }
            }
            return null;
        });
    }

    /** The IoT rule's ingest time, or the Kinesis arrival time for a record that has none. */
    private static long ingestTime(IngestRecord r, TelemetryMessage m) {
        return m.ingestTs() != null ? m.ingestTs() : r.arrivalMillis();
    }

    private static void joinAll(List<CompletableFuture<Void>> futures) {
        CompletableFuture.allOf(futures.toArray(new CompletableFuture[0])).join();
    }

    private static void rethrowFatal(List<RuntimeException> fatal) {
        if (!fatal.isEmpty()) {
            RuntimeException first = fatal.get(0);
            for (int i = 1; i < fatal.size(); i++) {
                first.addSuppressed(fatal.get(i));
            }
            throw first;
        }
    }

    private static void logQuarantine(IngestRecord r, ValidationResult.Quarantined q) {
        Map<String, String> ctx = new LinkedHashMap<>();
        ctx.put("shardId", r.shardId());
        ctx.put("sequenceNumber", r.sequenceNumber());
        ctx.put("reason", q.reason().name());
        ctx.forEach(MDC::put);
        try {
            LOG.info("quarantined {}: {} {}", r.where(), q.reason(), q.detail());
        } finally {
            ctx.keySet().forEach(MDC::remove);
        }
    }
}
