package io.github.iottelemetry.template;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The project's rules for a secure, accountable stack, as checks over a loaded template. Each check
 * returns its violations as {@code file:line resource Id: problem} lines, empty when the template
 * complies, so a failing test names every offending place at once.
 */
final class TemplateSecurityRules {

    static final List<String> REQUIRED_TAGS =
            List.of("Environment", "Owner", "CostCenter", "Application", "DataClassification");

    /**
     * Resource types that accept tags, per the CloudFormation resource schemas ({@code tagging.taggable})
     * as shipped with cfn-lint 1.51. A type in neither set fails the tag check, so adding a new kind of
     * resource forces a decision instead of silently going untagged.
     */
    static final Set<String> TAGGABLE_TYPES = Set.of(
            "AWS::Serverless::Function",
            "AWS::Lambda::Function",
            "AWS::Lambda::EventSourceMapping",
            "AWS::IoT::Policy",
            "AWS::IoT::TopicRule",
            "AWS::Kinesis::Stream",
            "AWS::DynamoDB::Table",
            "AWS::S3::Bucket",
            "AWS::SQS::Queue",
            "AWS::SNS::Topic",
            "AWS::KMS::Key",
            "AWS::IAM::Role",
            "AWS::Logs::LogGroup",
            "AWS::Athena::WorkGroup",
            "AWS::ECR::Repository",
            "AWS::ECS::Cluster",
            "AWS::ECS::TaskDefinition",
            "AWS::ECS::Service",
            "AWS::EC2::VPC",
            "AWS::EC2::Subnet",
            "AWS::EC2::InternetGateway",
            "AWS::EC2::RouteTable",
            "AWS::EC2::SecurityGroup",
            "AWS::EC2::VPCEndpoint",
            "AWS::CloudWatch::Alarm");

    static final Set<String> NOT_TAGGABLE_TYPES = Set.of(
            "AWS::S3::BucketPolicy",
            "AWS::SQS::QueuePolicy",
            "AWS::SNS::TopicPolicy",
            "AWS::SNS::Subscription",
            "AWS::KMS::Alias",
            "AWS::IAM::Policy",
            "AWS::IAM::ManagedPolicy",
            "AWS::Glue::Database",
            "AWS::Glue::Table",
            "AWS::Athena::NamedQuery",
            "AWS::CloudWatch::Dashboard",
            "AWS::EC2::VPCGatewayAttachment",
            "AWS::EC2::Route",
            "AWS::EC2::SubnetRouteTableAssociation",
            "AWS::ApplicationAutoScaling::ScalableTarget",
            "AWS::ApplicationAutoScaling::ScalingPolicy",
            "AWS::Logs::MetricFilter");

    private final CfnTemplate template;

    TemplateSecurityRules(CfnTemplate template) {
        this.template = template;
    }

    /**
     * Allow statements in any policy document of the template (IAM role and managed policies, SAM
     * function {@code Policies}, bucket, queue, topic, key and IoT policies) that grant every action
     * ({@code "*"}), use {@code NotAction}, or grant a whole service ({@code s3:*}) on every resource.
     */
    List<String> overlyBroadPolicyStatements() {
        List<String> violations = new ArrayList<>();
        for (TemplateResource resource : template.resources().values()) {
            collectStatements(resource.properties(), resource, violations);
        }
        return violations;
    }

    private void collectStatements(Object value, TemplateResource resource, List<String> violations) {
        if (value instanceof Map<?, ?> map) {
            if (map.containsKey("Statement")) {
                for (Object statement : asList(map.get("Statement"))) {
                    checkStatement(statement, resource, violations);
                }
            }
            map.values().forEach(child -> collectStatements(child, resource, violations));
        } else if (value instanceof List<?> list) {
            list.forEach(child -> collectStatements(child, resource, violations));
        }
    }

    private void checkStatement(Object statement, TemplateResource resource, List<String> violations) {
        if (!(statement instanceof Map<?, ?> map) || !"Allow".equals(map.get("Effect"))) {
            return;
        }
        if (map.containsKey("NotAction")) {
            violations.add(where(statement, resource) + "Allow statement with NotAction grants everything not listed");
        }
        List<Object> actions = asList(map.get("Action"));
        boolean onEveryResource = asList(map.get("Resource")).contains("*") || map.containsKey("NotResource");
        for (Object action : actions) {
            if ("*".equals(action)) {
                violations.add(where(statement, resource) + "Allow statement grants Action \"*\"");
            } else if (onEveryResource && action instanceof String name && name.endsWith(":*")) {
                violations.add(where(statement, resource) + "Allow statement grants " + name + " on Resource \"*\"");
            }
        }
    }

    /** Buckets, tables and streams (and queues and topics) without encryption at rest. */
    List<String> unencryptedDataStores() {
        List<String> violations = new ArrayList<>();
        for (TemplateResource resource : template.resources().values()) {
            String problem = switch (resource.type()) {
                case "AWS::S3::Bucket" ->
                    resource.property("BucketEncryption", "ServerSideEncryptionConfiguration")
                                    .filter(rules -> !asList(rules).isEmpty())
                                    .isPresent()
                            ? null
                            : "has no BucketEncryption";
                case "AWS::DynamoDB::Table", "AWS::Serverless::SimpleTable" ->
                    Boolean.TRUE.equals(resource.property("SSESpecification", "SSEEnabled")
                                    .orElse(null))
                            ? null
                            : "has no SSESpecification with SSEEnabled: true";
                case "AWS::Kinesis::Stream" ->
                    "KMS"
                                    .equals(resource.property("StreamEncryption", "EncryptionType")
                                            .orElse(null))
                            ? null
                            : "has no StreamEncryption with EncryptionType: KMS";
                case "AWS::SQS::Queue" ->
                    resource.property("KmsMasterKeyId").isPresent()
                                    || Boolean.TRUE.equals(resource.property("SqsManagedSseEnabled")
                                            .orElse(null))
                            ? null
                            : "has neither KmsMasterKeyId nor SqsManagedSseEnabled: true";
                case "AWS::SNS::Topic" ->
                    resource.property("KmsMasterKeyId").isPresent() ? null : "has no KmsMasterKeyId";
                default -> null;
            };
            if (problem != null) {
                violations.add(where(resource) + problem);
            }
        }
        return violations;
    }

    /** Taggable resources missing one of the required tags, and resources of types not yet classified. */
    List<String> untaggedResources() {
        List<String> violations = new ArrayList<>();
        for (TemplateResource resource : template.resources().values()) {
            if (NOT_TAGGABLE_TYPES.contains(resource.type())) {
                continue;
            }
            if (!TAGGABLE_TYPES.contains(resource.type())) {
                violations.add(where(resource) + "type " + resource.type() + " is not classified as taggable or not;"
                        + " add it to TAGGABLE_TYPES or NOT_TAGGABLE_TYPES (see its CloudFormation schema)");
                continue;
            }
            Set<String> missing = new TreeSet<>(REQUIRED_TAGS);
            missing.removeAll(tagKeys(resource.property("Tags").orElse(null)));
            if (!missing.isEmpty()) {
                violations.add(where(resource) + "misses tags " + missing);
            }
        }
        return violations;
    }

    /** Tag keys from either form: a list of {Key, Value} (CloudFormation) or a map (SAM, some services). */
    private static Set<String> tagKeys(Object tags) {
        Set<String> keys = new TreeSet<>();
        if (tags instanceof Map<?, ?> map) {
            map.forEach((key, value) -> {
                if (value != null) {
                    keys.add(String.valueOf(key));
                }
            });
        }
        for (Object tag : asList(tags)) {
            if (tag instanceof Map<?, ?> pair && pair.get("Key") != null && pair.get("Value") != null) {
                keys.add(String.valueOf(pair.get("Key")));
            }
        }
        return keys;
    }

    /** Glue tables without partition projection for every partition key (Athena would need crawlers or MSCK). */
    List<String> glueTablesWithoutProjection() {
        List<String> violations = new ArrayList<>();
        for (TemplateResource table : template.resourcesOfType("AWS::Glue::Table")) {
            Map<?, ?> parameters = table.property("TableInput", "Parameters")
                    .filter(Map.class::isInstance)
                    .map(Map.class::cast)
                    .orElse(Map.of());
            if (!"true".equals(parameters.get("projection.enabled"))) {
                violations.add(where(table) + "TableInput.Parameters has no projection.enabled: \"true\"");
                continue;
            }
            if (!parameters.containsKey("storage.location.template")) {
                violations.add(where(table) + "projection has no storage.location.template");
            }
            for (Object key :
                    asList(table.property("TableInput", "PartitionKeys").orElse(null))) {
                Object name = key instanceof Map<?, ?> column ? column.get("Name") : null;
                if (!parameters.containsKey("projection." + name + ".type")) {
                    violations.add(where(table) + "partition key " + name + " has no projection." + name + ".type");
                }
            }
        }
        return violations;
    }

    private String where(TemplateResource resource) {
        return template.sourceName() + ":" + resource.line() + " resource " + resource.logicalId() + ": ";
    }

    private String where(Object statement, TemplateResource resource) {
        int line = template.lineOf(statement) > 0 ? template.lineOf(statement) : resource.line();
        return template.sourceName() + ":" + line + " resource " + resource.logicalId() + ": ";
    }

    private static List<Object> asList(Object value) {
        if (value == null) {
            return List.of();
        }
        if (value instanceof List<?> list) {
            return new ArrayList<>(list);
        }
        return List.of(value);
    }
}
