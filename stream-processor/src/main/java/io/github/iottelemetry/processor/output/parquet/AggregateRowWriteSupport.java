package io.github.iottelemetry.processor.output.parquet;

import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.conf.ParquetConfiguration;
import org.apache.parquet.hadoop.api.WriteSupport;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.io.api.RecordConsumer;

/**
 * Writes {@link AggregateRow}s straight to Parquet's column writers, field by field in
 * {@link AggregateParquetFormat#SCHEMA}'s order: no intermediate record objects per row. A lake object
 * holds the rows of many devices with three or four metrics each, sorted by device, so the device id's
 * bytes are encoded once per device.
 */
final class AggregateRowWriteSupport extends WriteSupport<AggregateRow> {
    private RecordConsumer out;
    private String lastDevice;
    private Binary lastDeviceBytes;

    @Override
    public WriteContext init(Configuration configuration) {
        return new WriteContext(AggregateParquetFormat.SCHEMA, Map.of());
    }

    @Override
    public WriteContext init(ParquetConfiguration configuration) {
        return new WriteContext(AggregateParquetFormat.SCHEMA, Map.of());
    }

    @Override
    public void prepareForWrite(RecordConsumer recordConsumer) {
        this.out = recordConsumer;
    }

    @Override
    public void write(AggregateRow r) {
        if (!r.deviceId().equals(lastDevice)) {
            lastDevice = r.deviceId();
            lastDeviceBytes = Binary.fromString(lastDevice);
        }
        out.startMessage();
        binary(0, "device_id", lastDeviceBytes);
        binary(1, "metric", Binary.fromString(r.metric()));
        int64(2, "window_start_ms", r.windowStartMs());
        int64(3, "window_end_ms", r.windowEndMs());
        int64(4, "sample_count", r.sampleCount());
        float64(5, "sum_value", r.sumValue());
        float64(6, "min_value", r.minValue());
        float64(7, "max_value", r.maxValue());
        int64(8, "first_ts_ms", r.firstTsMs());
        float64(9, "first_value", r.firstValue());
        int64(10, "last_ts_ms", r.lastTsMs());
        float64(11, "last_value", r.lastValue());
        int64(12, "aggregate_version", r.version());
        out.endMessage();
    }

    private void binary(int index, String name, Binary value) {
        out.startField(name, index);
        out.addBinary(value);
        out.endField(name, index);
    }

    private void int64(int index, String name, long value) {
        out.startField(name, index);
        out.addLong(value);
        out.endField(name, index);
    }

    private void float64(int index, String name, double value) {
        out.startField(name, index);
        out.addDouble(value);
        out.endField(name, index);
    }
}
