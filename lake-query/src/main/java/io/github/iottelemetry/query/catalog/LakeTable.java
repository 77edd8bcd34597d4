package io.github.iottelemetry.query.catalog;

import java.util.List;

/**
 * A Glue table of the template, as far as querying it needs: where its objects are under the lake
 * bucket, how they are stored, and its columns and partition keys with their Hive types.
 *
 * @param prefix the key prefix under the bucket, e.g. {@code raw/}
 */
public record LakeTable(String name, String prefix, Format format, List<Column> columns, List<Column> partitionKeys) {

    public enum Format {
        /** Newline-delimited JSON, gzip-compressed ({@code .json.gz}). */
        JSON_GZIP,
        PARQUET
    }

    public record Column(String name, String hiveType) {}
}
