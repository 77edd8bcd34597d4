package io.github.iottelemetry.localcloud.provision;

import software.amazon.awssdk.services.dynamodb.model.CreateTableRequest;

import java.util.Optional;

/** A DynamoDB table to create, as the request DynamoDB Local gets, plus the TTL attribute to enable after creation. */
public record TableSpec(String logicalId, CreateTableRequest request, Optional<String> timeToLiveAttribute) {

    public String name() {
        return request.tableName();
    }
}
