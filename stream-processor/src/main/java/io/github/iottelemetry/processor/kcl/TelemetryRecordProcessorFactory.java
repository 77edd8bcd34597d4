package io.github.iottelemetry.processor.kcl;

import io.github.iottelemetry.core.validation.TelemetryValidator;
import io.github.iottelemetry.processor.metrics.CloseToDurableLag;
import io.github.iottelemetry.processor.metrics.WorkerActivity;
import io.github.iottelemetry.processor.output.WindowOutput;
import io.github.iottelemetry.processor.window.AggregationSettings;
import java.time.Clock;
import software.amazon.kinesis.processor.ShardRecordProcessor;
import software.amazon.kinesis.processor.ShardRecordProcessorFactory;

/** A fresh processor (fresh state) for every lease KCL hands this worker. */
public record TelemetryRecordProcessorFactory(
        AggregationSettings settings,
        TelemetryValidator validator,
        WindowOutput output,
        CloseToDurableLag lag,
        WorkerActivity activity)
        implements ShardRecordProcessorFactory {
    @Override
    public ShardRecordProcessor shardRecordProcessor() {
        return new TelemetryRecordProcessor(settings, validator, output, lag, activity, Clock.systemUTC());
    }
}
