package io.github.iottelemetry.processor.output.parquet;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.ParquetReadOptions;
import org.apache.parquet.column.page.PageReadStore;
import org.apache.parquet.conf.ParquetConfiguration;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.convert.GroupRecordConverter;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.ParquetFileWriter;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.api.WriteSupport;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.io.ColumnIOFactory;
import org.apache.parquet.io.OutputFile;
import org.apache.parquet.io.RecordReader;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.MessageTypeParser;

/** Reads and writes aggregate rows as Parquet files (in memory) with the columns of the Glue table {@code telemetry_aggregates}. */
public final class AggregateParquetFormat {
    // Uncompressed (dictionary and RLE encodings still apply): every codec makes parquet-hadoop build a Hadoop
    // Configuration, which needs XML parsers that the excluded hadoop-common dependencies would bring.
    /**
     * Column names and types match template.yaml's AggregatesLakeTable (string, bigint, double). {@code aggregate_version}
     * is the DynamoDB item's version the row was taken from: the lake writer replaces a row only by a newer one.
     */
    public static final MessageType SCHEMA = MessageTypeParser.parseMessageType("""
            message telemetry_aggregates {
              required binary device_id (STRING);
              required binary metric (STRING);
              required int64 window_start_ms;
              required int64 window_end_ms;
              required int64 sample_count;
              required double sum_value;
              required double min_value;
              required double max_value;
              required int64 first_ts_ms;
              required double first_value;
              required int64 last_ts_ms;
              required double last_value;
              required int64 aggregate_version;
            }
            """);

    private AggregateParquetFormat() {}

    /** The rows as the bytes of one Parquet file. */
    public static byte[] write(List<AggregateRow> rows) throws IOException {
        InMemoryFiles.Output file = new InMemoryFiles.Output();
        try (ParquetWriter<AggregateRow> writer = new RowWriterBuilder(file)
                .withConf(new PlainParquetConfiguration())
                .withCompressionCodec(CompressionCodecName.UNCOMPRESSED)
                .withWriteMode(ParquetFileWriter.Mode.OVERWRITE)
                .build()) {
            for (AggregateRow r : rows) {
                writer.write(r);
            }
        }
        return file.bytes();
    }

    private static final class RowWriterBuilder extends ParquetWriter.Builder<AggregateRow, RowWriterBuilder> {
        RowWriterBuilder(OutputFile file) {
            super(file);
        }

        @Override
        protected RowWriterBuilder self() {
            return this;
        }

        @Override
        protected WriteSupport<AggregateRow> getWriteSupport(Configuration conf) {
            return new AggregateRowWriteSupport();
        }

        @Override
        protected WriteSupport<AggregateRow> getWriteSupport(ParquetConfiguration conf) {
            return new AggregateRowWriteSupport();
        }
    }

    /** The rows of one Parquet file's bytes. */
    public static List<AggregateRow> read(byte[] file) throws IOException {
        List<AggregateRow> rows = new ArrayList<>();
        try (ParquetFileReader reader = ParquetFileReader.open(
                InMemoryFiles.input(file),
                ParquetReadOptions.builder(new PlainParquetConfiguration()).build())) {
            MessageType schema = reader.getFooter().getFileMetaData().getSchema();
            PageReadStore pages;
            while ((pages = reader.readNextRowGroup()) != null) {
                RecordReader<Group> records = new ColumnIOFactory()
                        .getColumnIO(schema)
                        .getRecordReader(pages, new GroupRecordConverter(schema));
                for (long i = 0; i < pages.getRowCount(); i++) {
                    Group g = records.read();
                    rows.add(new AggregateRow(
                            g.getString("device_id", 0),
                            g.getString("metric", 0),
                            g.getLong("window_start_ms", 0),
                            g.getLong("window_end_ms", 0),
                            g.getLong("sample_count", 0),
                            g.getDouble("sum_value", 0),
                            g.getDouble("min_value", 0),
                            g.getDouble("max_value", 0),
                            g.getLong("first_ts_ms", 0),
                            g.getDouble("first_value", 0),
                            g.getLong("last_ts_ms", 0),
                            g.getDouble("last_value", 0),
                            g.getLong("aggregate_version", 0)));
                }
            }
        }
        return rows;
    }
}
