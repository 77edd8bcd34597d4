package io.github.iottelemetry.processor.kcl;

import io.github.iottelemetry.core.aggregate.WindowAggregate;
import io.github.iottelemetry.core.validation.TelemetryValidator;
import io.github.iottelemetry.core.validation.ValidationResult;
import io.github.iottelemetry.processor.metrics.CloseToDurableLag;
import io.github.iottelemetry.processor.metrics.WorkerActivity;
import io.github.iottelemetry.processor.output.WindowOutput;
import io.github.iottelemetry.processor.window.AggregationSettings;
import io.github.iottelemetry.processor.window.ShardAggregator;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;
import software.amazon.kinesis.exceptions.InvalidStateException;
import software.amazon.kinesis.exceptions.KinesisClientLibException;
import software.amazon.kinesis.exceptions.ShutdownException;
import software.amazon.kinesis.lifecycle.events.InitializationInput;
import software.amazon.kinesis.lifecycle.events.LeaseLostInput;
import software.amazon.kinesis.lifecycle.events.ProcessRecordsInput;
import software.amazon.kinesis.lifecycle.events.ShardEndedInput;
import software.amazon.kinesis.lifecycle.events.ShutdownRequestedInput;
import software.amazon.kinesis.processor.RecordProcessorCheckpointer;
import software.amazon.kinesis.processor.ShardRecordProcessor;
import software.amazon.kinesis.retrieval.KinesisClientRecord;

/**
 * One shard's life under a lease. The checkpoint discipline, in one place:
 * <ol>
 *   <li>{@code processRecords}: fold the batch; write the windows that are due (DynamoDB, then the lake);
 *       checkpoint at the last record whose every window is written.</li>
 *   <li>{@code leaseLost}: another worker owns the shard now; drop all state and write nothing (it will
 *       replay from our last checkpoint, and the writes are idempotent).</li>
 *   <li>{@code shardEnded}: write every open window, then checkpoint the shard's end (required by KCL).</li>
 *   <li>{@code shutdownRequested} (SIGTERM from ECS): write every open window, then checkpoint.</li>
 * </ol>
 * A write that fails keeps its windows for the next call, so records are never checkpointed past
 * data that is not durable.
 */
public final class TelemetryRecordProcessor implements ShardRecordProcessor {
    private static final Logger LOG = Logger.getLogger(TelemetryRecordProcessor.class.getName());

    private final AggregationSettings settings;
    private final TelemetryValidator validator;
    private final WindowOutput output;
    private final CloseToDurableLag lag;
    private final WorkerActivity activity;
    private final Clock clock;
    private String shardId = "(not initialized)";
    private ShardAggregator shard;
    private final List<WindowAggregate> unwritten = new ArrayList<>();

    public TelemetryRecordProcessor(
            AggregationSettings settings,
            TelemetryValidator validator,
            WindowOutput output,
            CloseToDurableLag lag,
            WorkerActivity activity,
            Clock clock) {
        this.activity = activity;
        this.settings = settings;
        this.validator = validator;
        this.output = output;
        this.lag = lag;
        this.clock = clock;
    }

    @Override
    public void initialize(InitializationInput input) {
        shardId = input.shardId();
        shard = new ShardAggregator(settings, clock.millis());
        LOG.info(() -> "shard " + shardId + ": lease taken, starting after " + input.extendedSequenceNumber());
    }

    @Override
    public void processRecords(ProcessRecordsInput input) {
        long now = clock.millis();
        long lastArrival = now;
        for (KinesisClientRecord record : input.records()) {
            ByteBuffer data = record.data();
            byte[] bytes = new byte[data.remaining()];
            data.get(bytes);
            long arrival = record.approximateArrivalTimestamp() == null
                    ? now
                    : record.approximateArrivalTimestamp().toEpochMilli();
            lastArrival = arrival;
            ValidationResult result = validator.validate(bytes, arrival);
            if (result instanceof ValidationResult.Valid valid) {
                shard.add(record.sequenceNumber(), valid.message(), now);
            } else {
                ValidationResult.Quarantined q = (ValidationResult.Quarantined) result;
                LOG.fine(() -> "record " + record.sequenceNumber() + " on " + shardId + ": skipped, " + q.reason() + " "
                        + q.detail());
                shard.skip(record.sequenceNumber(), now);
            }
        }
        activity.read(shardId, input.records().size(), lastArrival, now);
        List<WindowAggregate> due = shard.closeDue(now);
        if (!due.isEmpty()) {
            activity.closed(due.stream().map(w -> shard.readyAt(w.key())).toList(), now);
        }
        unwritten.addAll(due);
        writeAndCheckpoint(input.checkpointer(), false);
    }

    @Override
    public void leaseLost(LeaseLostInput input) {
        LOG.info(() -> "shard " + shardId + ": lease lost, dropping " + (shard == null ? 0 : shard.openWindows())
                + " open windows unwritten (the new owner replays them)");
        shard = null;
        unwritten.clear();
        activity.released(shardId);
    }

    @Override
    public void shardEnded(ShardEndedInput input) {
        unwritten.addAll(shard.closeAll(clock.millis()));
        writeAndCheckpoint(input.checkpointer(), true);
        checkpoint(input.checkpointer(), Optional.empty()); // KCL requires the shard-end checkpoint
        activity.released(shardId);
    }

    @Override
    public void shutdownRequested(ShutdownRequestedInput input) {
        if (shard == null) {
            return;
        }
        unwritten.addAll(shard.closeAll(clock.millis()));
        writeAndCheckpoint(input.checkpointer(), true);
        LOG.info(() -> "shard " + shardId + ": shut down after writing every open window; " + shard.stats());
    }

    /** Named durability point: windows written to both outputs, then the checkpoint moves behind them. */
    private void writeAndCheckpoint(RecordProcessorCheckpointer checkpointer, boolean mustSucceed) {
        if (!unwritten.isEmpty()) {
            List<WindowAggregate> batch = List.copyOf(unwritten);
            WindowOutput.Written written;
            try {
                written = output.write(batch, shard::deltaExcluding);
            } catch (RuntimeException e) {
                LOG.log(
                        Level.WARNING,
                        "shard " + shardId + ": writing " + batch.size()
                                + " windows failed, kept for the next attempt; checkpoint stays put: " + e.getMessage(),
                        e);
                activity.writeFailed();
                if (mustSucceed) {
                    throw e;
                }
                return;
            }
            unwritten.clear();
            List<Long> readyAt =
                    batch.stream().map(window -> shard.readyAt(window.key())).toList();
            shard.durable(batch);
            List<Long> inTable = written.windows().stream()
                    .map(WindowOutput.Durable::tableDurableAt)
                    .toList();
            List<Long> inLake = written.windows().stream()
                    .map(WindowOutput.Durable::lakeDurableAt)
                    .toList();
            lag.durable(readyAt, inTable, inLake);
            activity.written(batch.size());
            activity.durable(readyAt, CloseToDurableLag.Output.DYNAMODB, inTable);
            activity.durable(readyAt, CloseToDurableLag.Output.LAKE, inLake);
        }
        Optional<String> position = shard.checkpointPosition();
        if (position.isPresent()) {
            checkpoint(checkpointer, position);
        }
    }

    private void checkpoint(RecordProcessorCheckpointer checkpointer, Optional<String> sequenceNumber) {
        try {
            if (sequenceNumber.isPresent()) {
                checkpointer.checkpoint(sequenceNumber.get());
            } else {
                checkpointer.checkpoint();
            }
        } catch (ShutdownException e) {
            LOG.info(() -> "shard " + shardId
                    + ": lease gone before the checkpoint; the next owner replays from the last one");
        } catch (InvalidStateException e) {
            throw new IllegalStateException(
                    "shard " + shardId + ": checkpoint at " + sequenceNumber.orElse("shard end")
                            + " failed: the lease table is unavailable: " + e.getMessage(),
                    e);
        } catch (KinesisClientLibException e) {
            // throttled or DynamoDB unavailable: the position is recomputed and tried again next batch
            LOG.warning(() -> "shard " + shardId + ": checkpoint at " + sequenceNumber.orElse("shard end")
                    + " not stored this time: " + e.getMessage());
        }
    }
}
