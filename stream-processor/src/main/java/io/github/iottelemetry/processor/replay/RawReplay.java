package io.github.iottelemetry.processor.replay;

import io.github.iottelemetry.core.aggregate.WindowAggregate;
import io.github.iottelemetry.core.lake.LakeLayout;
import io.github.iottelemetry.core.lake.RawArchiveLine;
import io.github.iottelemetry.core.lake.RawLineException;
import io.github.iottelemetry.core.validation.TelemetryValidator;
import io.github.iottelemetry.core.validation.ValidationResult;
import io.github.iottelemetry.processor.output.WindowOutput;
import io.github.iottelemetry.processor.window.AggregationSettings;
import io.github.iottelemetry.processor.window.ShardAggregator;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * Rebuilds window aggregates from the raw archive, exactly as the stream processor built them from the stream:
 * each shard's archived records in sequence-number order, validated as the ingest Lambda validated them, folded
 * by the processor's own {@link ShardAggregator} and written through its {@link WindowOutput} under the
 * record's original shard id.
 *
 * <p>Why it cannot double count: a DynamoDB item merges only messages whose seq it does not hold yet, and a lake
 * row is the item's full stored aggregate, replaced only by a newer version of the item, so a window the live
 * processor (or an earlier replay) already wrote is left as it is, and one it wrote in part gets only the
 * missing messages. A record archived twice (by nothing today: see the ingest function's archive) is folded once. Windows at the edges of the hour range get the records of the range; replaying the
 * neighbouring hours later adds the rest, the same way.
 */
public final class RawReplay {
    /** Due windows are looked for every this many records, as the processor does once per GetRecords batch. */
    static final int RECORDS_PER_BATCH = 500;

    private final RawArchive archive;
    private final TelemetryValidator validator;
    private final AggregationSettings aggregation;
    private final WindowOutput output;
    private final Set<String> devices;
    private final Consumer<String> problems;

    /**
     * @param output where windows go; null for a dry run (fold and count, write nothing)
     * @param devices only these devices' records are folded; empty for all
     * @param problems told each unreadable object or line as it is met, with its key and line number
     */
    public RawReplay(
            RawArchive archive,
            TelemetryValidator validator,
            AggregationSettings aggregation,
            WindowOutput output,
            Set<String> devices,
            Consumer<String> problems) {
        this.archive = archive;
        this.validator = validator;
        this.aggregation = aggregation;
        this.output = output;
        this.devices = Set.copyOf(devices);
        this.problems = problems;
    }

    public ReplaySummary run(HourRange range) {
        long started = System.nanoTime();
        ReplaySummary summary =
                new ReplaySummary(range, archive.bucket(), aggregation.resolutions(), devices, output == null);
        // Objects are read one shard (as named in their key) at a time, so memory holds one shard's records of
        // the range, not the whole range; within, records are grouped by the shard id on their own line.
        Map<String, List<String>> objectsByShard = new TreeMap<>();
        for (String key : archive.keys(range)) {
            objectsByShard
                    .computeIfAbsent(LakeLayout.shardOfRawKey(key).orElse(""), s -> new ArrayList<>())
                    .add(key);
        }
        for (List<String> keys : objectsByShard.values()) {
            Map<String, List<RawArchiveLine>> byShard = new TreeMap<>();
            for (String key : keys) {
                read(key, summary)
                        .forEach(r -> byShard.computeIfAbsent(r.shardId(), s -> new ArrayList<>())
                                .add(r));
            }
            byShard.forEach((shardId, records) -> replayShard(shardId, inShardOrder(records, summary), summary));
        }
        summary.millis = (System.nanoTime() - started) / 1_000_000;
        return summary;
    }

    private List<RawArchiveLine> read(String key, ReplaySummary summary) {
        RawArchive.ObjectLines object;
        try {
            object = archive.read(key);
        } catch (RawInputException e) {
            report(summary, e.problem(), key + ": " + e.detail());
            return List.of();
        }
        summary.objects++;
        List<RawArchiveLine> records = new ArrayList<>(object.lines().size());
        for (int i = 0; i < object.lines().size(); i++) {
            byte[] line = object.lines().get(i);
            if (isBlank(line)) {
                continue;
            }
            summary.lines++;
            try {
                records.add(RawArchiveLine.parse(line));
            } catch (RawLineException e) {
                report(
                        summary,
                        RawInputProblem.valueOf(e.problem().name()),
                        key + " line " + (i + 1) + ": " + e.detail());
            }
        }
        object.brokenAfter()
                .ifPresent(why -> report(
                        summary,
                        RawInputProblem.UNREADABLE_OBJECT,
                        key + " after line " + object.lines().size() + ": " + why
                                + " (the lines before it were replayed)"));
        return records;
    }

    /** Sequence-number order (as numbers: Kinesis sequence numbers outgrow a long); a record archived twice once. */
    static List<RawArchiveLine> inShardOrder(List<RawArchiveLine> records, ReplaySummary summary) {
        List<RawArchiveLine> sorted = new ArrayList<>(records);
        sorted.sort(Comparator.comparing(RawArchiveLine::order));
        List<RawArchiveLine> unique = new ArrayList<>(sorted.size());
        for (RawArchiveLine r : sorted) {
            if (!unique.isEmpty() && unique.get(unique.size() - 1).order().equals(r.order())) {
                summary.skip(ReplaySummary.ARCHIVED_TWICE); // an archive written before each record was kept once
                continue;
            }
            unique.add(r);
        }
        return unique;
    }

    private void replayShard(String shardId, List<RawArchiveLine> records, ReplaySummary summary) {
        if (records.isEmpty()) {
            return;
        }
        // The clock. The live processor hands its aggregator the wall clock; a replay runs hours or days later and
        // hands it each record's original Kinesis arrival time instead, and validates against that same time:
        // - TelemetryValidator measures the correction horizon (LATE) and the clock skew from the record's
        //   ingestTs, or from the arrival time it is given, never from the wall clock: with the archived
        //   kinesisArrivalTs every record gets the verdict the Lambda gave it, and none turns LATE with age.
        // - ShardAggregator drops nothing for its age (a reading for a window already closed opens a correction
        //   delta); "now" only decides when open windows are flushed (shard idle, window open too long). On the
        //   arrival clock those flushes fall where they fell live, however fast the replay reads.
        long now = records.get(0).arrivalMillis();
        ShardAggregator shard = new ShardAggregator(aggregation, now);
        long windowsBefore = summary.windows;
        long idleMillis = aggregation.idleTimeout().toMillis();
        int sinceClose = 0;
        for (RawArchiveLine r : records) {
            long arrival = r.arrivalMillis();
            if (++sinceClose >= RECORDS_PER_BATCH || arrival - now >= idleMillis) {
                write(shardId, shard, shard.closeDue(Math.max(now, arrival)), summary);
                sinceClose = 0;
            }
            now = Math.max(now, arrival);
            summary.records++;
            ValidationResult result = validator.validate(r.record(), arrival);
            if (result instanceof ValidationResult.Valid valid) {
                summary.valid++;
                if (!devices.isEmpty() && !devices.contains(valid.message().deviceId())) {
                    summary.otherDevices++;
                    shard.skip(r.sequenceNumber(), now);
                } else if (shard.add(r.sequenceNumber(), valid.message(), now)) {
                    summary.messagesFolded++;
                } else {
                    summary.skip(ReplaySummary.DUPLICATE);
                }
            } else {
                // The Lambda accepted it, so the limits differ from the function's (CORRECTION_HORIZON_HOURS, ...).
                summary.skip(((ValidationResult.Quarantined) result).reason().name());
                shard.skip(r.sequenceNumber(), now);
            }
        }
        write(shardId, shard, shard.closeAll(now), summary);
        summary.shards.computeIfAbsent(shardId, s -> new long[2])[0] += records.size();
        summary.shards.get(shardId)[1] += summary.windows - windowsBefore;
    }

    /** The processor's durability point, without a checkpoint: both outputs, then the windows are durable. */
    private void write(String shardId, ShardAggregator shard, List<WindowAggregate> windows, ReplaySummary summary) {
        if (windows.isEmpty()) {
            return;
        }
        if (output != null) {
            WindowOutput.Written written = output.write(windows, shard::deltaExcluding);
            summary.itemsChanged += written.itemsChanged();
            summary.itemsUpToDate += written.itemsUpToDate();
            summary.lakeObjects.addAll(written.lakeObjects());
        }
        summary.windows += windows.size();
        shard.durable(windows);
        shard.checkpointPosition(); // lets the aggregator forget the messages of written windows
    }

    private void report(ReplaySummary summary, RawInputProblem problem, String where) {
        String message = where + " [" + problem + "]";
        summary.problem(problem, message);
        problems.accept(message);
    }

    private static boolean isBlank(byte[] line) {
        for (byte b : line) {
            if (!Character.isWhitespace(b)) {
                return false;
            }
        }
        return true;
    }
}
