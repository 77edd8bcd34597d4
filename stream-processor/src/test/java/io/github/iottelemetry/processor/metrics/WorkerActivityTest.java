package io.github.iottelemetry.processor.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WorkerActivityTest {

    @Test
    void countsPerShardWithIteratorAgeAndTheLastMinutesLag() {
        WorkerActivity activity = new WorkerActivity();
        activity.read("shardId-0", 10, 1_000, 1_250);
        activity.read("shardId-0", 0, 0, 2_000); // an empty poll keeps the last age
        activity.read("shardId-1", 5, 1_900, 2_000);
        activity.released("shardId-1");
        activity.written(3);
        activity.writeFailed();
        activity.durable(
                List.of(1_000L, 1_500L, 1_900L), CloseToDurableLag.Output.DYNAMODB, List.of(2_000L, 2_000L, 2_000L));
        // written before it closed: no sample
        activity.durable(List.of(3_000L), CloseToDurableLag.Output.LAKE, List.of(2_500L));
        activity.closed(List.of(1_000L, 1_500L), 1_700); // noticed 700 and 200 ms after they became writable

        Map<String, Object> s = activity.snapshot(2_000);

        assertThat(s)
                .containsEntry("recordsRead", 15L)
                .containsEntry("windowsWritten", 3L)
                .containsEntry("writeFailures", 1L);
        @SuppressWarnings("unchecked")
        Map<String, Map<String, Object>> shards = (Map<String, Map<String, Object>>) s.get("shards");
        assertThat(shards.get("shardId-0"))
                .containsEntry("recordsRead", 10L)
                .containsEntry("iteratorAgeMs", 250L)
                .containsEntry("owned", true);
        assertThat(shards.get("shardId-1")).containsEntry("iteratorAgeMs", 100L).containsEntry("owned", false);
        @SuppressWarnings("unchecked")
        Map<String, Map<String, Object>> lag = (Map<String, Map<String, Object>>) s.get("closeToDurable");
        assertThat(lag.get("DynamoDB"))
                .containsEntry("windows", 3L)
                .containsEntry("p50", 500L)
                .containsEntry("p99", 1_000L)
                .containsEntry("samples", List.of(100L, 500L, 1_000L));
        assertThat(lag.get("Lake")).containsEntry("windows", 0L).doesNotContainKey("p50");
        assertThat(lag.get(WorkerActivity.DETECTED)).containsEntry("p50", 200L).containsEntry("p99", 700L);

        // A minute later the samples are gone.
        @SuppressWarnings("unchecked")
        Map<String, Map<String, Object>> later =
                (Map<String, Map<String, Object>>) activity.snapshot(62_001).get("closeToDurable");
        assertThat(later.get("DynamoDB")).containsEntry("windows", 0L);
    }
}
