package io.github.iottelemetry.processor.output.parquet;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class AggregateParquetFormatTest {
    @Test
    void rowsSurviveAWriteAndRead() throws Exception {
        List<AggregateRow> rows = List.of(
                new AggregateRow("sim-1", "battery", 0, 60_000, 3, 11.1, 3.6, 3.8, 1_000, 3.7, 59_000, 3.6, 1),
                new AggregateRow(
                        "sim-2", "temperature", 60_000, 120_000, 1, 21.5, 21.5, 21.5, 61_000, 21.5, 61_000, 21.5, 7));
        assertThat(AggregateParquetFormat.read(AggregateParquetFormat.write(rows)))
                .isEqualTo(rows);
    }
}
