package io.github.iottelemetry.localcloud.provision;

/**
 * A Kinesis stream to create. An on-demand stream gets {@link #ON_DEMAND_LOCAL_SHARDS} shards, the
 * capacity AWS starts an on-demand stream with (kinesalite has no on-demand mode).
 */
public record StreamSpec(String logicalId, String name, int shardCount, boolean onDemand) {

    public static final int ON_DEMAND_LOCAL_SHARDS = 4;
}
