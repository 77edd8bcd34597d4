package io.github.iottelemetry.ingest.state;

import java.util.Map;
import software.amazon.awssdk.enhanced.dynamodb.EnhancedType;
import software.amazon.awssdk.enhanced.dynamodb.mapper.StaticTableSchema;

/**
 * An item of {@code {stack}-device-state}: the latest reading of a device and the seq it came with.
 * The schema is static (no bean introspection), which keeps the Lambda's cold start short.
 */
public final class DeviceState {
    private String deviceId;
    private Long lastSeq;
    private Long lastTs;
    private Long sentAt;
    private Long ingestTs;
    private Long updatedAt;
    private Map<String, Double> latest;

    public static final StaticTableSchema<DeviceState> SCHEMA = StaticTableSchema.builder(DeviceState.class)
            .newItemSupplier(DeviceState::new)
            .addAttribute(
                    String.class,
                    a -> a.name("deviceId")
                            .getter(DeviceState::getDeviceId)
                            .setter(DeviceState::setDeviceId)
                            .tags(
                                    software.amazon.awssdk.enhanced.dynamodb.mapper.StaticAttributeTags
                                            .primaryPartitionKey()))
            .addAttribute(
                    Long.class,
                    a -> a.name("lastSeq").getter(DeviceState::getLastSeq).setter(DeviceState::setLastSeq))
            .addAttribute(
                    Long.class,
                    a -> a.name("lastTs").getter(DeviceState::getLastTs).setter(DeviceState::setLastTs))
            .addAttribute(
                    Long.class,
                    a -> a.name("sentAt").getter(DeviceState::getSentAt).setter(DeviceState::setSentAt))
            .addAttribute(
                    Long.class,
                    a -> a.name("ingestTs").getter(DeviceState::getIngestTs).setter(DeviceState::setIngestTs))
            .addAttribute(
                    Long.class,
                    a -> a.name("updatedAt").getter(DeviceState::getUpdatedAt).setter(DeviceState::setUpdatedAt))
            .addAttribute(
                    EnhancedType.mapOf(String.class, Double.class),
                    a -> a.name("latest").getter(DeviceState::getLatest).setter(DeviceState::setLatest))
            .build();

    public String getDeviceId() {
        return deviceId;
    }

    public void setDeviceId(String deviceId) {
        this.deviceId = deviceId;
    }

    public Long getLastSeq() {
        return lastSeq;
    }

    public void setLastSeq(Long lastSeq) {
        this.lastSeq = lastSeq;
    }

    public Long getLastTs() {
        return lastTs;
    }

    public void setLastTs(Long lastTs) {
        this.lastTs = lastTs;
    }

    public Long getSentAt() {
        return sentAt;
    }

    public void setSentAt(Long sentAt) {
        this.sentAt = sentAt;
    }

    public Long getIngestTs() {
        return ingestTs;
    }

    public void setIngestTs(Long ingestTs) {
        this.ingestTs = ingestTs;
    }

    public Long getUpdatedAt() {
        return updatedAt;
    }

    public void setUpdatedAt(Long updatedAt) {
        this.updatedAt = updatedAt;
    }

    public Map<String, Double> getLatest() {
        return latest;
    }

    public void setLatest(Map<String, Double> latest) {
        this.latest = latest;
    }
}
