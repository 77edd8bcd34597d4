package io.github.iottelemetry.processor.output;

import io.github.iottelemetry.core.aggregate.WindowAggregate;
import io.github.iottelemetry.processor.output.dynamodb.AggregatesTableWriter;
import io.github.iottelemetry.processor.output.parquet.LakeAggregatesWriter;
import java.util.List;

/**
 * Makes closed windows durable in both outputs. DynamoDB first: its merge decides what each window
 * holds (idempotent by message seqs); the lake object then shows exactly that. If the lake write fails
 * or the worker dies in between, the records are not checkpointed, so the replay writes the (unchanged)
 * DynamoDB state to the lake again.
 */
public final class WindowOutput {
    private final AggregatesTableWriter table;
    private final LakeAggregatesWriter lake;

    public WindowOutput(AggregatesTableWriter table, LakeAggregatesWriter lake) {
        this.table = table;
        this.lake = lake;
    }

    public void write(String shardId, List<WindowAggregate> windows, DeltaSource deltas) {
        if (windows.isEmpty()) {
            return;
        }
        List<StoredWindow> stored = table.write(windows, deltas);
        lake.write(shardId, stored);
    }
}
