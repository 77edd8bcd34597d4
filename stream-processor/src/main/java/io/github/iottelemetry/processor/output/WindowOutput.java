package io.github.iottelemetry.processor.output;

import io.github.iottelemetry.core.aggregate.WindowAggregate;
import io.github.iottelemetry.core.aggregate.WindowKey;
import io.github.iottelemetry.processor.output.dynamodb.AggregatesTableWriter;
import io.github.iottelemetry.processor.output.parquet.LakeAggregatesWriter;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * Makes closed windows durable in both outputs. DynamoDB first: its merge decides what each window
 * holds (idempotent by message seqs) and at which item version; the lake row then shows exactly that, unless
 * the lake already holds a newer version. If the lake write fails or the worker dies in between, the records
 * are not checkpointed, so the replay writes the (unchanged) DynamoDB state to the lake again.
 *
 * <p>Pipelined per lake object: an object is written as soon as the DynamoDB items of its windows are, while the
 * other windows' items are still being written, so a burst of windows closing together (a fleet's aligned minute)
 * is in the lake shortly after its last item rather than after every item and then every object.
 */
public final class WindowOutput {
    private final AggregatesTableWriter table;
    private final LakeAggregatesWriter lake;
    private final Clock clock;

    /**
     * When one window became durable in each output (epoch millis).
     *
     * @param tableDurableAt its DynamoDB item written (or found holding it already)
     * @param lakeDurableAt its lake object written (or found holding it already)
     */
    public record Durable(WindowKey key, long tableDurableAt, long lakeDurableAt) {}

    /**
     * What one write did.
     *
     * @param itemsChanged DynamoDB items the write changed (created, or merged new messages into)
     * @param itemsUpToDate DynamoDB items that already held every message of their window: left as they were
     * @param lakeObjects keys of the lake objects that changed (each row holds the full stored aggregate of its window)
     * @param windows when each window was durable, in the order they were given
     */
    public record Written(int itemsChanged, int itemsUpToDate, List<String> lakeObjects, List<Durable> windows) {
        public static final Written NOTHING = new Written(0, 0, List.of(), List.of());
    }

    public WindowOutput(AggregatesTableWriter table, LakeAggregatesWriter lake) {
        this(table, lake, Clock.systemUTC());
    }

    public WindowOutput(AggregatesTableWriter table, LakeAggregatesWriter lake, Clock clock) {
        this.table = table;
        this.lake = lake;
        this.clock = clock;
    }

    private record Item(StoredWindow stored, long durableAt) {}

    private record ObjectWritten(String objectKey, List<Item> items, boolean changed, long durableAt) {}

    /**
     * Writes every window to both outputs; fails (after every started write has finished) if any window could not
     * be written to either.
     */
    public Written write(List<WindowAggregate> windows, DeltaSource deltas) {
        if (windows.isEmpty()) {
            return Written.NOTHING;
        }
        Map<String, List<WindowAggregate>> byObject = new LinkedHashMap<>();
        for (WindowAggregate window : windows) {
            byObject.computeIfAbsent(LakeAggregatesWriter.objectKey(window.key()), k -> new ArrayList<>())
                    .add(window);
        }
        List<CompletableFuture<ObjectWritten>> objects = new ArrayList<>(byObject.size());
        byObject.forEach((objectKey, inObject) -> {
            List<CompletableFuture<Item>> items = new ArrayList<>(inObject.size());
            for (WindowAggregate window : inObject) {
                items.add(table.writeAsync(window, deltas).thenApply(stored -> new Item(stored, clock.millis())));
            }
            objects.add(CompletableFuture.allOf(items.toArray(CompletableFuture[]::new))
                    .thenCompose(allWritten -> {
                        List<Item> written =
                                items.stream().map(CompletableFuture::join).toList();
                        return lake.writeObjectAsync(
                                        objectKey,
                                        written.stream().map(Item::stored).toList())
                                .thenApply(changed -> new ObjectWritten(objectKey, written, changed, clock.millis()));
                    }));
        });
        try {
            CompletableFuture.allOf(objects.toArray(CompletableFuture[]::new)).join();
        } catch (CompletionException e) {
            // allOf completes only once every object's writes have: nothing of this call is still running
            throw e.getCause() instanceof RuntimeException r ? r : e;
        }
        Map<WindowKey, Durable> durable = new LinkedHashMap<>();
        List<String> changedObjects = new ArrayList<>();
        int changed = 0;
        for (CompletableFuture<ObjectWritten> future : objects) {
            ObjectWritten object = future.join();
            if (object.changed()) {
                changedObjects.add(object.objectKey());
            }
            for (Item item : object.items()) {
                if (item.stored().changed()) {
                    changed++;
                }
                durable.put(
                        item.stored().key(), new Durable(item.stored().key(), item.durableAt(), object.durableAt()));
            }
        }
        List<Durable> inOrder =
                windows.stream().map(window -> durable.get(window.key())).toList();
        return new Written(changed, windows.size() - changed, changedObjects, inOrder);
    }
}
