package io.github.iottelemetry.ingest.batch;

import io.github.iottelemetry.core.lake.LakeLayout;
import io.github.iottelemetry.core.payload.TelemetryMessage;
import io.github.iottelemetry.core.validation.ReasonCode;
import io.github.iottelemetry.core.validation.TelemetryValidator;
import io.github.iottelemetry.core.validation.ValidationResult;
import io.github.iottelemetry.ingest.lake.LakeWriter;
import io.github.iottelemetry.ingest.state.DeviceStateStore;
import io.github.iottelemetry.ingest.state.StateWriteSchedule;
import java.time.Clock;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
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
 *       keys, conditional writes on seq); a device's state at most once per {@link StateWriteSchedule} interval;</li>
 *   <li>the raw archive, only for valid records <em>before</em> the first record that failed
 *       transiently (Lambda retries the shard from there).</li>
 * </ol>
 *
 * <p>The raw archive holds every valid record exactly once, whatever Lambda retries, bisects or times out.
 * Invariant: a record is archived in the object named after the first record of its <em>run</em> (the
 * maximal sequence of consecutive valid records of the batch that share its ingest hour) in the last
 * invocation that archived it. Any later invocation that archives the record again starts at or after
 * the same batch's start (Lambda never goes back past a checkpoint), and a run's first record is still
 * first of its run there: the hours are properties of the records, and a batch starting between a run's
 * first record and the record is only read after everything before it succeeded, which includes the
 * record. So a retry rewrites the same object, and no record stays behind in another. A failed run write
 * reports the run's first record, so the retry starts at or before it.
 * Transient failures (throttling, timeouts, 5xx) are reported per record; anything else (a missing
 * table, access denied) fails the invocation, since no retry of a single record could fix it.
 */
public final class BatchIngestor {
    private static final Logger LOG = LoggerFactory.getLogger(BatchIngestor.class);

    private final TelemetryValidator validator;
    private final DeviceStateStore state;
    private final StateWriteSchedule schedule;
    private final LakeWriter lake;
    private final ExecutorService io;
    private final Clock clock;

    /** Writes every message's device state (no interval). */
    public BatchIngestor(
            TelemetryValidator validator, DeviceStateStore state, LakeWriter lake, ExecutorService io, Clock clock) {
        this(validator, state, StateWriteSchedule.everyMessage(), lake, io, clock);
    }

    public BatchIngestor(
            TelemetryValidator validator,
            DeviceStateStore state,
            StateWriteSchedule schedule,
            LakeWriter lake,
            ExecutorService io,
            Clock clock) {
        this.validator = validator;
        this.state = state;
        this.schedule = schedule;
        this.lake = lake;
        this.io = io;
        this.clock = clock;
    }

    private record Valid(IngestRecord record, TelemetryMessage message) {}

    public BatchOutcome ingest(List<IngestRecord> records) {
        long t0 = System.nanoTime();
        long now = clock.millis();
        List<Valid> valid = new ArrayList<>(records.size());
        List<Valid> archived = new ArrayList<>(records.size());
        Map<ReasonCode, Integer> quarantinedCounts = new EnumMap<>(ReasonCode.class);
        Set<String> seen = new HashSet<>();
        int duplicates = 0;
        long maxLag = 0;
        List<CompletableFuture<Void>> writes = new ArrayList<>();
        TreeSet<Integer> failed = new TreeSet<>();
        List<RuntimeException> fatal = new ArrayList<>();

        for (IngestRecord r : records) {
            ValidationResult result = validator.validate(r.data(), r.arrivalMillis());
            if (result instanceof ValidationResult.Valid ok) {
                TelemetryMessage m = ok.message();
                maxLag = Math.max(maxLag, now - ingestTime(r, m));
                Valid v = new Valid(r, m);
                // The same message twice in one batch (MQTT redelivery) counts once, but both records are archived:
                // the raw archive holds Kinesis records, and what one batch holds depends on Lambda's batching.
                archived.add(v);
                if (!seen.add(m.deviceId() + "#" + m.seq())) {
                    duplicates++;
                    continue;
                }
                valid.add(v);
            } else {
                ValidationResult.Quarantined q = (ValidationResult.Quarantined) result;
                quarantinedCounts.merge(q.reason(), 1, Integer::sum);
                logQuarantine(r, q);
                writes.add(track(r.index(), failed, fatal, () -> lake.putQuarantine(r, q.reason(), q.detail())));
            }
        }
        long t1 = System.nanoTime();

        // At most one state write per device: its newest message in this batch, when the schedule says it is due.
        Map<String, Valid> newestPerDevice = new HashMap<>();
        for (Valid v : valid) {
            newestPerDevice.merge(
                    v.message().deviceId(),
                    v,
                    (a, b) -> b.message().seq() > a.message().seq() ? b : a);
        }
        int[] stale = new int[1];
        int deferred = 0;
        for (Valid v : newestPerDevice.values()) {
            String deviceId = v.message().deviceId();
            long newestTs = newestReadingTs(v.message());
            if (!schedule.isDue(deviceId, newestTs)) {
                deferred++;
                continue;
            }
            writes.add(track(v.record().index(), failed, fatal, () -> {
                if (state.putIfNewer(v.message(), now)) {
                    schedule.written(deviceId, newestTs);
                } else {
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
        List<Run> runs = runs(archived, firstFailure);
        List<CompletableFuture<Void>> rawWrites = new ArrayList<>();
        for (Run run : runs) {
            rawWrites.add(track(
                    run.records().get(0).index(), failed, fatal, () -> lake.putRaw(run.hourMillis(), run.records())));
        }
        joinAll(rawWrites);
        rethrowFatal(fatal);
        long t3 = System.nanoTime();

        List<String> failedSeqs = new ArrayList<>();
        for (int i : failed) {
            failedSeqs.add(records.get(i).sequenceNumber());
        }
        int rawObjects = runs.size()
                - (int) runs.stream()
                        .filter(run -> failed.contains(run.records().get(0).index()))
                        .count();
        return new BatchOutcome(
                records.size(),
                valid.size(),
                quarantinedCounts,
                duplicates,
                newestPerDevice.size() - deferred - stale[0],
                stale[0],
                deferred,
                rawObjects,
                maxLag,
                failedSeqs,
                new BatchOutcome.Timings(t1 - t0, t2 - t1, t3 - t2));
    }

    /** Consecutive valid records of one ingest hour, archived as one object. */
    private record Run(long hourMillis, List<IngestRecord> records) {}

    /** The valid records before {@code firstFailure}, cut into runs where the ingest hour changes. */
    private static List<Run> runs(List<Valid> archived, int firstFailure) {
        List<Run> runs = new ArrayList<>();
        for (Valid v : archived) {
            if (v.record().index() >= firstFailure) {
                break;
            }
            long hour = LakeLayout.hourOf(ingestTime(v.record(), v.message()));
            if (runs.isEmpty() || runs.get(runs.size() - 1).hourMillis() != hour) {
                runs.add(new Run(hour, new ArrayList<>()));
            }
            runs.get(runs.size() - 1).records().add(v.record());
        }
        return runs;
    }

    /** Runs a write on the I/O pool; a transient failure marks the record, anything else is fatal. */
    private CompletableFuture<Void> track(
            int index, Set<Integer> failed, List<RuntimeException> fatal, Supplier<?> write) {
        return CompletableFuture.supplyAsync(write, io).handle((ok, error) -> {
            if (error != null) {
                Throwable cause =
                        error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
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

    private static long newestReadingTs(TelemetryMessage m) {
        long newest = Long.MIN_VALUE;
        for (var reading : m.readings()) {
            newest = Math.max(newest, reading.ts());
        }
        return newest;
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
