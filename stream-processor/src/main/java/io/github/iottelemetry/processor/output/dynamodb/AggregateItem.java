package io.github.iottelemetry.processor.output.dynamodb;

import java.util.Map;
import java.util.TreeMap;
import software.amazon.awssdk.enhanced.dynamodb.extensions.annotations.DynamoDbVersionAttribute;
import software.amazon.awssdk.enhanced.dynamodb.mapper.annotations.DynamoDbBean;
import software.amazon.awssdk.enhanced.dynamodb.mapper.annotations.DynamoDbPartitionKey;
import software.amazon.awssdk.enhanced.dynamodb.mapper.annotations.DynamoDbSortKey;

/**
 * An item of {@code {stack}-aggregates}: one device window at one resolution (key {@code pk} =
 * {@code deviceId#resolution}, {@code windowStart}), all its metrics, and a version for optimistic
 * concurrency between a worker and the one that takes its lease over.
 */
@DynamoDbBean
public class AggregateItem {
    private String pk;
    private Long windowStart;
    private Long windowEnd;
    private String deviceId;
    private String resolution;
    private Map<String, MetricState> metrics = new TreeMap<>();
    private Long version;
    private Long expiresAt;
    private Long updatedAt;

    @DynamoDbPartitionKey
    public String getPk() {
        return pk;
    }

    public void setPk(String pk) {
        this.pk = pk;
    }

    @DynamoDbSortKey
    public Long getWindowStart() {
        return windowStart;
    }

    public void setWindowStart(Long windowStart) {
        this.windowStart = windowStart;
    }

    public Long getWindowEnd() {
        return windowEnd;
    }

    public void setWindowEnd(Long windowEnd) {
        this.windowEnd = windowEnd;
    }

    public String getDeviceId() {
        return deviceId;
    }

    public void setDeviceId(String deviceId) {
        this.deviceId = deviceId;
    }

    public String getResolution() {
        return resolution;
    }

    public void setResolution(String resolution) {
        this.resolution = resolution;
    }

    public Map<String, MetricState> getMetrics() {
        return metrics;
    }

    public void setMetrics(Map<String, MetricState> metrics) {
        this.metrics = metrics;
    }

    @DynamoDbVersionAttribute
    public Long getVersion() {
        return version;
    }

    public void setVersion(Long version) {
        this.version = version;
    }

    /** TTL attribute of the table (template.yaml). */
    public Long getExpiresAt() {
        return expiresAt;
    }

    public void setExpiresAt(Long expiresAt) {
        this.expiresAt = expiresAt;
    }

    public Long getUpdatedAt() {
        return updatedAt;
    }

    public void setUpdatedAt(Long updatedAt) {
        this.updatedAt = updatedAt;
    }
}
