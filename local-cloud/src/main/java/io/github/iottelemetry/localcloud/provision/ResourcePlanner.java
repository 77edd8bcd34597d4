package io.github.iottelemetry.localcloud.provision;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.CreateTableRequest;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndex;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.LocalSecondaryIndex;
import software.amazon.awssdk.services.dynamodb.model.Projection;
import software.amazon.awssdk.services.dynamodb.model.ProvisionedThroughput;

/**
 * Turns a template's resolved resources into what the local engines create: AWS::Kinesis::Stream,
 * AWS::DynamoDB::Table, AWS::Serverless::SimpleTable and AWS::S3::Bucket. Every other type is listed
 * as not emulated. A table property the local DynamoDB engine does not apply is named in the plan with
 * its consequence; stream and bucket properties that only AWS acts on (encryption, tags, retention) are ignored.
 */
public final class ResourcePlanner {

    static final String STREAM = "AWS::Kinesis::Stream";
    static final String TABLE = "AWS::DynamoDB::Table";
    static final String SIMPLE_TABLE = "AWS::Serverless::SimpleTable";
    static final String BUCKET = "AWS::S3::Bucket";

    private static final Set<String> FUNCTION_TYPES = Set.of("AWS::Serverless::Function", "AWS::Lambda::Function");
    private static final String TASK_DEFINITION = "AWS::ECS::TaskDefinition";
    private static final String DEFAULT_STREAM_VARIABLE = "STREAM_NAME";

    /** The AWS::DynamoDB::Table properties the local engine applies as DynamoDB does. */
    private static final Set<String> APPLIED_TABLE_PROPERTIES = Set.of(
            "TableName",
            "KeySchema",
            "AttributeDefinitions",
            "BillingMode",
            "ProvisionedThroughput",
            "GlobalSecondaryIndexes",
            "LocalSecondaryIndexes",
            "TimeToLiveSpecification");
    /** What a table property the local engine leaves out changes, for the ones a template commonly sets. */
    private static final Map<String, String> TABLE_PROPERTY_CONSEQUENCES = Map.of(
            "PointInTimeRecoverySpecification", "no backups: an item deleted or overwritten here cannot be restored",
            "SSESpecification", "items are stored unencrypted in the state folder",
            "DeletionProtectionEnabled", "DeleteTable is not refused",
            "StreamSpecification", "no DynamoDB stream: nothing reads item changes locally",
            "Tags", "no tags (they change no behaviour)",
            "WarmThroughput", "no throughput limits at all locally",
            "OnDemandThroughput", "no throughput limits at all locally",
            "ContributorInsightsSpecification", "no Contributor Insights",
            "TableClass", "one storage class locally");

    private final String sourceName;

    private ResourcePlanner(String sourceName) {
        this.sourceName = sourceName;
    }

    public static LocalResourcePlan plan(String sourceName, List<TemplateResourceView> resources) {
        return new ResourcePlanner(sourceName).planAll(resources);
    }

    private LocalResourcePlan planAll(List<TemplateResourceView> resources) {
        List<StreamSpec> streams = new ArrayList<>();
        List<TableSpec> tables = new ArrayList<>();
        List<BucketSpec> buckets = new ArrayList<>();
        List<NotEmulatedResource> notEmulated = new ArrayList<>();
        for (TemplateResourceView resource : resources) {
            switch (resource.type()) {
                case STREAM -> streams.add(stream(resource));
                case TABLE -> tables.add(table(resource));
                case SIMPLE_TABLE -> tables.add(simpleTable(resource));
                case BUCKET -> buckets.add(new BucketSpec(resource.logicalId(), physicalName(resource)));
                default ->
                    notEmulated.add(new NotEmulatedResource(resource.logicalId(), resource.type(), resource.line()));
            }
        }
        Map<String, String> environment = resourceEnvironment(resources, streams, tables, buckets);
        return new LocalResourcePlan(sourceName, streams, tables, buckets, notEmulated, environment, List.of());
    }

    private StreamSpec stream(TemplateResourceView resource) {
        Map<String, Object> properties = resource.properties();
        String mode = optionalString(resource, properties, "StreamModeDetails", "StreamMode")
                .orElse(null);
        boolean onDemand = "ON_DEMAND".equals(mode);
        if (mode != null && !onDemand && !"PROVISIONED".equals(mode)) {
            throw ProvisioningException.at(
                    sourceName,
                    resource,
                    "StreamModeDetails.StreamMode must be ON_DEMAND or PROVISIONED, got '" + mode + "'");
        }
        int shards = onDemand
                ? StreamSpec.ON_DEMAND_LOCAL_SHARDS
                : optionalInt(resource, properties.get("ShardCount"), "ShardCount")
                        .orElse(1);
        if (shards < 1) {
            throw ProvisioningException.at(sourceName, resource, "ShardCount must be at least 1, got " + shards);
        }
        return new StreamSpec(resource.logicalId(), physicalName(resource), shards, onDemand);
    }

    private TableSpec table(TemplateResourceView resource) {
        Map<String, Object> properties = resource.properties();
        CreateTableRequest.Builder request = CreateTableRequest.builder()
                .tableName(physicalName(resource))
                .keySchema(keySchema(resource, properties.get("KeySchema"), "KeySchema"))
                .attributeDefinitions(attributeDefinitions(resource));
        String billing = optionalString(resource, properties, "BillingMode").orElse("PROVISIONED");
        switch (billing) {
            case "PAY_PER_REQUEST" -> request.billingMode(BillingMode.PAY_PER_REQUEST);
            case "PROVISIONED" ->
                request.billingMode(BillingMode.PROVISIONED)
                        .provisionedThroughput(
                                throughput(resource, properties.get("ProvisionedThroughput"), "ProvisionedThroughput"));
            default ->
                throw ProvisioningException.at(
                        sourceName,
                        resource,
                        "BillingMode must be PAY_PER_REQUEST or PROVISIONED, got '" + billing + "'");
        }
        boolean provisioned = billing.equals("PROVISIONED");
        List<GlobalSecondaryIndex> globalIndexes = new ArrayList<>();
        for (Map<String, Object> index :
                listOfMaps(resource, properties.get("GlobalSecondaryIndexes"), "GlobalSecondaryIndexes")) {
            String path = "GlobalSecondaryIndexes[" + globalIndexes.size() + "]";
            GlobalSecondaryIndex.Builder gsi = GlobalSecondaryIndex.builder()
                    .indexName(requiredString(resource, index.get("IndexName"), path + ".IndexName"))
                    .keySchema(keySchema(resource, index.get("KeySchema"), path + ".KeySchema"))
                    .projection(projection(resource, index.get("Projection"), path + ".Projection"));
            if (provisioned) {
                gsi.provisionedThroughput(
                        throughput(resource, index.get("ProvisionedThroughput"), path + ".ProvisionedThroughput"));
            }
            globalIndexes.add(gsi.build());
        }
        if (!globalIndexes.isEmpty()) {
            request.globalSecondaryIndexes(globalIndexes);
        }
        List<LocalSecondaryIndex> localIndexes = new ArrayList<>();
        for (Map<String, Object> index :
                listOfMaps(resource, properties.get("LocalSecondaryIndexes"), "LocalSecondaryIndexes")) {
            String path = "LocalSecondaryIndexes[" + localIndexes.size() + "]";
            localIndexes.add(LocalSecondaryIndex.builder()
                    .indexName(requiredString(resource, index.get("IndexName"), path + ".IndexName"))
                    .keySchema(keySchema(resource, index.get("KeySchema"), path + ".KeySchema"))
                    .projection(projection(resource, index.get("Projection"), path + ".Projection"))
                    .build());
        }
        if (!localIndexes.isEmpty()) {
            request.localSecondaryIndexes(localIndexes);
        }
        Optional<String> ttl = Optional.empty();
        if (properties.get("TimeToLiveSpecification") instanceof Map<?, ?> ttlSpecification
                && !"false".equals(String.valueOf(ttlSpecification.get("Enabled")))) {
            ttl = Optional.of(requiredString(
                    resource, ttlSpecification.get("AttributeName"), "TimeToLiveSpecification.AttributeName"));
        }
        return new TableSpec(
                resource.logicalId(), request.build(), ttl, notApplied(properties, APPLIED_TABLE_PROPERTIES));
    }

    /** SAM's SimpleTable: one hash key (default {@code id} of type String), on-demand unless throughput is given. */
    private TableSpec simpleTable(TemplateResourceView resource) {
        Map<String, Object> properties = resource.properties();
        String keyName =
                optionalString(resource, properties, "PrimaryKey", "Name").orElse("id");
        String keyType = switch (optionalString(resource, properties, "PrimaryKey", "Type")
                .orElse("String")) {
            case "String" -> "S";
            case "Number" -> "N";
            case "Binary" -> "B";
            default ->
                throw ProvisioningException.at(
                        sourceName, resource, "PrimaryKey.Type must be String, Number or Binary");
        };
        CreateTableRequest.Builder request = CreateTableRequest.builder()
                .tableName(physicalName(resource))
                .keySchema(KeySchemaElement.builder()
                        .attributeName(keyName)
                        .keyType("HASH")
                        .build())
                .attributeDefinitions(AttributeDefinition.builder()
                        .attributeName(keyName)
                        .attributeType(keyType)
                        .build());
        if (properties.containsKey("ProvisionedThroughput")) {
            request.billingMode(BillingMode.PROVISIONED)
                    .provisionedThroughput(
                            throughput(resource, properties.get("ProvisionedThroughput"), "ProvisionedThroughput"));
        } else {
            request.billingMode(BillingMode.PAY_PER_REQUEST);
        }
        return new TableSpec(
                resource.logicalId(),
                request.build(),
                Optional.empty(),
                notApplied(properties, Set.of("TableName", "PrimaryKey", "ProvisionedThroughput")));
    }

    private static List<String> notApplied(Map<String, Object> properties, Set<String> applied) {
        return properties.keySet().stream()
                .sorted()
                .filter(property -> !applied.contains(property))
                .map(property -> property + ": "
                        + TABLE_PROPERTY_CONSEQUENCES.getOrDefault(
                                property, "not emulated by the local DynamoDB engine"))
                .toList();
    }

    private List<KeySchemaElement> keySchema(TemplateResourceView resource, Object value, String path) {
        List<Map<String, Object>> elements = listOfMaps(resource, value, path);
        if (elements.isEmpty()) {
            throw ProvisioningException.at(sourceName, resource, path + " is required and must list the HASH key");
        }
        List<KeySchemaElement> keys = new ArrayList<>();
        for (Map<String, Object> element : elements) {
            String elementPath = path + "[" + keys.size() + "]";
            String keyType = requiredString(resource, element.get("KeyType"), elementPath + ".KeyType");
            if (!keyType.equals("HASH") && !keyType.equals("RANGE")) {
                throw ProvisioningException.at(
                        sourceName, resource, elementPath + ".KeyType must be HASH or RANGE, got '" + keyType + "'");
            }
            keys.add(KeySchemaElement.builder()
                    .attributeName(
                            requiredString(resource, element.get("AttributeName"), elementPath + ".AttributeName"))
                    .keyType(keyType)
                    .build());
        }
        return keys;
    }

    private List<AttributeDefinition> attributeDefinitions(TemplateResourceView resource) {
        List<AttributeDefinition> definitions = new ArrayList<>();
        for (Map<String, Object> element :
                listOfMaps(resource, resource.properties().get("AttributeDefinitions"), "AttributeDefinitions")) {
            String path = "AttributeDefinitions[" + definitions.size() + "]";
            String type = requiredString(resource, element.get("AttributeType"), path + ".AttributeType");
            if (!Set.of("S", "N", "B").contains(type)) {
                throw ProvisioningException.at(
                        sourceName, resource, path + ".AttributeType must be S, N or B, got '" + type + "'");
            }
            definitions.add(AttributeDefinition.builder()
                    .attributeName(requiredString(resource, element.get("AttributeName"), path + ".AttributeName"))
                    .attributeType(type)
                    .build());
        }
        if (definitions.isEmpty()) {
            throw ProvisioningException.at(
                    sourceName, resource, "AttributeDefinitions is required for the key attributes");
        }
        return definitions;
    }

    private Projection projection(TemplateResourceView resource, Object value, String path) {
        if (!(value instanceof Map<?, ?> projection)) {
            throw ProvisioningException.at(
                    sourceName, resource, path + " is required (ProjectionType ALL, KEYS_ONLY or INCLUDE)");
        }
        Projection.Builder builder = Projection.builder()
                .projectionType(requiredString(resource, projection.get("ProjectionType"), path + ".ProjectionType"));
        if (projection.get("NonKeyAttributes") instanceof List<?> attributes) {
            builder.nonKeyAttributes(attributes.stream().map(String::valueOf).toList());
        }
        return builder.build();
    }

    private ProvisionedThroughput throughput(TemplateResourceView resource, Object value, String path) {
        if (!(value instanceof Map<?, ?> throughput)) {
            throw ProvisioningException.at(sourceName, resource, path + " is required when BillingMode is PROVISIONED");
        }
        return ProvisionedThroughput.builder()
                .readCapacityUnits(
                        (long) optionalInt(resource, throughput.get("ReadCapacityUnits"), path + ".ReadCapacityUnits")
                                .orElseThrow(() -> ProvisioningException.at(
                                        sourceName, resource, path + ".ReadCapacityUnits is required")))
                .writeCapacityUnits(
                        (long) optionalInt(resource, throughput.get("WriteCapacityUnits"), path + ".WriteCapacityUnits")
                                .orElseThrow(() -> ProvisioningException.at(
                                        sourceName, resource, path + ".WriteCapacityUnits is required")))
                .build();
    }

    /**
     * Variables that the template's functions and ECS tasks get and whose value is the name of a
     * provisioned resource: the same names the deployed code reads, so local clients read them too.
     */
    private Map<String, String> resourceEnvironment(
            List<TemplateResourceView> resources,
            List<StreamSpec> streams,
            List<TableSpec> tables,
            List<BucketSpec> buckets) {
        Set<String> names = new java.util.HashSet<>();
        streams.forEach(stream -> names.add(stream.name()));
        tables.forEach(table -> names.add(table.name()));
        buckets.forEach(bucket -> names.add(bucket.name()));
        Map<String, String> environment = new LinkedHashMap<>();
        for (TemplateResourceView resource : resources) {
            for (Map.Entry<String, Object> variable :
                    computeEnvironment(resource).entrySet()) {
                if (variable.getValue() instanceof String value && names.contains(value)) {
                    String earlier = environment.putIfAbsent(variable.getKey(), value);
                    if (earlier != null && !earlier.equals(value)) {
                        throw ProvisioningException.at(
                                sourceName,
                                resource,
                                "environment variable " + variable.getKey()
                                        + " names '" + value + "' here but '" + earlier + "' in another resource;"
                                        + " local clients could not tell which one is meant");
                    }
                }
            }
        }
        if (streams.size() == 1 && !environment.containsValue(streams.get(0).name())) {
            environment.put(DEFAULT_STREAM_VARIABLE, streams.get(0).name());
        }
        return environment;
    }

    private static Map<String, Object> computeEnvironment(TemplateResourceView resource) {
        Map<String, Object> environment = new LinkedHashMap<>();
        if (FUNCTION_TYPES.contains(resource.type())
                && resource.properties().get("Environment") instanceof Map<?, ?> functionEnvironment
                && functionEnvironment.get("Variables") instanceof Map<?, ?> variables) {
            variables.forEach((name, value) -> environment.put(String.valueOf(name), value));
        }
        if (TASK_DEFINITION.equals(resource.type())
                && resource.properties().get("ContainerDefinitions") instanceof List<?> containers) {
            for (Object container : containers) {
                if (container instanceof Map<?, ?> definition
                        && definition.get("Environment") instanceof List<?> pairs) {
                    for (Object pair : pairs) {
                        if (pair instanceof Map<?, ?> entry && entry.get("Name") != null) {
                            environment.put(String.valueOf(entry.get("Name")), entry.get("Value"));
                        }
                    }
                }
            }
        }
        return environment;
    }

    private String physicalName(TemplateResourceView resource) {
        if (resource.physicalName() == null || resource.physicalName().isBlank()) {
            throw ProvisioningException.at(sourceName, resource, "its name did not resolve to a string");
        }
        return resource.physicalName();
    }

    private Optional<String> optionalString(
            TemplateResourceView resource, Map<String, Object> properties, String... path) {
        Object value = properties;
        for (String key : path) {
            if (!(value instanceof Map<?, ?> map) || !map.containsKey(key)) {
                return Optional.empty();
            }
            value = map.get(key);
        }
        return Optional.of(requiredString(resource, value, String.join(".", path)));
    }

    private String requiredString(TemplateResourceView resource, Object value, String path) {
        if (value instanceof String text && !text.isBlank()) {
            return text;
        }
        throw ProvisioningException.at(
                sourceName,
                resource,
                path + " must be a string" + (value == null ? " and is missing" : ", got " + describe(value)));
    }

    private Optional<Integer> optionalInt(TemplateResourceView resource, Object value, String path) {
        if (value == null) {
            return Optional.empty();
        }
        if (value instanceof Number number) {
            return Optional.of(number.intValue());
        }
        try {
            return Optional.of(Integer.parseInt(String.valueOf(value).trim()));
        } catch (NumberFormatException e) {
            throw ProvisioningException.at(
                    sourceName, resource, path + " must be a whole number, got " + describe(value));
        }
    }

    private List<Map<String, Object>> listOfMaps(TemplateResourceView resource, Object value, String path) {
        if (value == null) {
            return List.of();
        }
        if (!(value instanceof List<?> list)) {
            throw ProvisioningException.at(sourceName, resource, path + " must be a list, got " + describe(value));
        }
        List<Map<String, Object>> maps = new ArrayList<>();
        for (Object element : list) {
            if (!(element instanceof Map<?, ?> map)) {
                throw ProvisioningException.at(
                        sourceName,
                        resource,
                        path + "[" + maps.size() + "] must be a mapping, got " + describe(element));
            }
            @SuppressWarnings("unchecked")
            Map<String, Object> typed = (Map<String, Object>) map;
            maps.add(typed);
        }
        return maps;
    }

    /** Unresolved intrinsics stay as one-key maps such as {Fn::GetAtt=[...]}: show them as written. */
    private static String describe(Object value) {
        return value instanceof String ? "'" + value + "'" : String.valueOf(value);
    }
}
