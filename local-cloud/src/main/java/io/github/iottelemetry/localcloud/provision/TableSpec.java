package io.github.iottelemetry.localcloud.provision;

import java.util.List;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.model.CreateTableRequest;

/**
 * A DynamoDB table to create, as the request the local engine gets, plus the TTL attribute to enable after
 * creation, and the template's table properties the local engine does not apply, each with its consequence
 * ("PointInTimeRecoverySpecification: no backups ...").
 */
public record TableSpec(
        String logicalId, CreateTableRequest request, Optional<String> timeToLiveAttribute, List<String> notApplied) {

    public TableSpec {
        notApplied = List.copyOf(notApplied);
    }

    public String name() {
        return request.tableName();
    }
}
