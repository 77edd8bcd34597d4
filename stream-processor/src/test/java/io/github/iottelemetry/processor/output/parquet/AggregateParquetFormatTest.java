package io.github.iottelemetry.processor.output.parquet;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AggregateParquetFormatTest {
    @Test
    void rowsSurviveAWriteAndRead(@TempDir Path dir) throws Exception {
        List<AggregateRow> rows = List.of(
                new AggregateRow("sim-1", "battery", 0, 60_000, 3, 11.1, 3.6, 3.8, 1_000, 3.7, 59_000, 3.6),
                new AggregateRow("sim-2", "temperature", 60_000, 120_000, 1, 21.5, 21.5, 21.5, 61_000, 21.5, 61_000, 21.5));
        Path file = dir.resolve("a.parquet");
        AggregateParquetFormat.write(file, rows);
        assertThat(AggregateParquetFormat.read(file)).isEqualTo(rows);
    }
}
