package io.github.iottelemetry.ingest.state;

import io.github.iottelemetry.core.payload.Reading;
import io.github.iottelemetry.core.payload.TelemetryMessage;
import java.util.Map;
import software.amazon.awssdk.enhanced.dynamodb.DynamoDbEnhancedClient;
import software.amazon.awssdk.enhanced.dynamodb.DynamoDbTable;
import software.amazon.awssdk.enhanced.dynamodb.Expression;
import software.amazon.awssdk.enhanced.dynamodb.model.PutItemEnhancedRequest;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;

/**
 * Writes a device's latest state only when the incoming seq is newer than the stored one, so a
 * replay, a retry or an older message arriving late can never move the state back.
 */
public class DeviceStateStore {
    private static final String NEWER_SEQ_ONLY = "attribute_not_exists(deviceId) OR lastSeq < :seq";

    private final DynamoDbTable<DeviceState> table;

    public DeviceStateStore(DynamoDbEnhancedClient client, String tableName) {
        this.table = client.table(tableName, DeviceState.SCHEMA);
    }

    /** Returns false when the table already holds this or a newer seq (nothing written). */
    public boolean putIfNewer(TelemetryMessage m, long now) {
        Reading latest = m.readings().get(0);
        for (Reading r : m.readings()) {
            if (r.ts() >= latest.ts()) {
                latest = r;
            }
        }
        DeviceState s = new DeviceState();
        s.setDeviceId(m.deviceId());
        s.setLastSeq(m.seq());
        s.setLastTs(latest.ts());
        s.setSentAt(m.sentAt());
        s.setIngestTs(m.ingestTs());
        s.setUpdatedAt(now);
        Map<String, Double> values = latest.metrics();
        s.setLatest(values);
        Expression condition = Expression.builder()
                .expression(NEWER_SEQ_ONLY)
                .putExpressionValue(":seq", AttributeValue.fromN(Long.toString(m.seq())))
                .build();
        try {
            table.putItem(PutItemEnhancedRequest.builder(DeviceState.class)
                    .item(s)
                    .conditionExpression(condition)
                    .build());
            return true;
        } catch (ConditionalCheckFailedException stale) {
            return false;
        }
    }

    public DeviceState get(String deviceId) {
        return table.getItem(r -> r.key(k -> k.partitionValue(deviceId)).consistentRead(true));
    }
}
