package io.github.iottelemetry.localcloud.provision;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the local engines will hold for a template: its streams, tables and buckets, the resources no
 * local engine provides, and the environment variables the template's compute resources give their
 * code that name one of the provisioned resources (such as STREAM_NAME or DEVICE_STATE_TABLE), and
 * the resources this stack leaves out by condition.
 */
public record LocalResourcePlan(
        String sourceName,
        List<StreamSpec> streams,
        List<TableSpec> tables,
        List<BucketSpec> buckets,
        List<NotEmulatedResource> notEmulated,
        Map<String, String> resourceEnvironment,
        List<String> leftOutByCondition) {

    public LocalResourcePlan {
        streams = List.copyOf(streams);
        tables = List.copyOf(tables);
        buckets = List.copyOf(buckets);
        notEmulated = List.copyOf(notEmulated);
        resourceEnvironment = Collections.unmodifiableMap(new LinkedHashMap<>(resourceEnvironment));
        leftOutByCondition = List.copyOf(leftOutByCondition);
    }

    /** The same plan, also naming the template resources that the stack leaves out because their condition is false. */
    public LocalResourcePlan withLeftOutByCondition(List<String> resources) {
        return new LocalResourcePlan(sourceName, streams, tables, buckets, notEmulated, resourceEnvironment, resources);
    }
}
