package io.github.iottelemetry.processor.output;

import io.github.iottelemetry.core.aggregate.WindowAggregate;
import io.github.iottelemetry.processor.output.dynamodb.AggregatesTableWriter;
import io.github.iottelemetry.processor.output.parquet.LakeAggregatesWriter;
import java.time.Clock;
import java.util.List;

/**
 * Makes closed windows durable in both outputs. DynamoDB first: its merge decides what each window
 * holds (idempotent by message seqs) and at which item version; the lake row then shows exactly that, unless
 * the lake already holds a newer version. If the lake write fails or the worker dies in between, the records
 * are not checkpointed, so the replay writes the (unchanged) DynamoDB state to the lake again.
 */
public final class WindowOutput {
    private final AggregatesTableWriter table;
    private final LakeAggregatesWriter lake;
    private final Clock clock;

    /**
     * What one write did.
     *
     * @param itemsChanged DynamoDB items the write changed (created, or merged new messages into)
     * @param itemsUpToDate DynamoDB items that already held every message of their window: left as they were
     * @param lakeObjects keys of the lake objects that changed (each row holds the full stored aggregate of its window)
     * @param tableDurableAt when every window was durable in DynamoDB (epoch millis)
     * @param lakeDurableAt when every window was durable in the lake (epoch millis)
     */
    public record Written(
            int itemsChanged, int itemsUpToDate, List<String> lakeObjects, long tableDurableAt, long lakeDurableAt) {
        public static final Written NOTHING = new Written(0, 0, List.of(), 0, 0);
    }

    public WindowOutput(AggregatesTableWriter table, LakeAggregatesWriter lake) {
        this(table, lake, Clock.systemUTC());
    }

    public WindowOutput(AggregatesTableWriter table, LakeAggregatesWriter lake, Clock clock) {
        this.table = table;
        this.lake = lake;
        this.clock = clock;
    }

    public Written write(List<WindowAggregate> windows, DeltaSource deltas) {
        if (windows.isEmpty()) {
            return Written.NOTHING;
        }
        List<StoredWindow> stored = table.write(windows, deltas);
        long tableDurableAt = clock.millis();
        List<String> objects = lake.write(stored);
        long lakeDurableAt = clock.millis();
        int changed = (int) stored.stream().filter(StoredWindow::changed).count();
        return new Written(changed, stored.size() - changed, objects, tableDurableAt, lakeDurableAt);
    }
}
