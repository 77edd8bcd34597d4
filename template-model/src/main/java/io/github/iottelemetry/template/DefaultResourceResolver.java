package io.github.iottelemetry.template;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Deterministic stand-ins for what CloudFormation returns once a resource exists. A resource's physical
 * name is the name its properties give (such as {@code TableName}) or else {@code {stack}-{LogicalId}}
 * (lower case for S3 buckets and ECR repositories, whose names must be); ARNs, URLs and ids are built from that name the way
 * AWS builds them, so the local cloud and AWS agree on shapes like
 * {@code arn:aws:kinesis:us-east-1:000000000000:stream/demo-telemetry}.
 *
 * <p>Attributes it has no rule for stay unresolved. Extend it, or wrap it in another
 * {@link ResourceResolver}, to map particular resources to a local engine's names.
 */
public class DefaultResourceResolver implements ResourceResolver {

    /** Where a resource type keeps its name, and what {@code Ref} returns for it. */
    private record Naming(String service, List<String> namePath, RefReturns refReturns, String arnResource) {}

    private enum RefReturns {
        NAME,
        ARN,
        QUEUE_URL
    }

    private static final Map<String, Naming> NAMINGS = Map.ofEntries(
            Map.entry(
                    "AWS::DynamoDB::Table",
                    new Naming("dynamodb", List.of("TableName"), RefReturns.NAME, "table/{name}")),
            Map.entry("AWS::Kinesis::Stream", new Naming("kinesis", List.of("Name"), RefReturns.NAME, "stream/{name}")),
            Map.entry("AWS::S3::Bucket", new Naming("s3", List.of("BucketName"), RefReturns.NAME, "{name}")),
            Map.entry(
                    "AWS::Serverless::Function",
                    new Naming("lambda", List.of("FunctionName"), RefReturns.NAME, "function:{name}")),
            Map.entry(
                    "AWS::Lambda::Function",
                    new Naming("lambda", List.of("FunctionName"), RefReturns.NAME, "function:{name}")),
            Map.entry("AWS::IAM::Role", new Naming("iam", List.of("RoleName"), RefReturns.NAME, "role/{name}")),
            Map.entry(
                    "AWS::IAM::ManagedPolicy",
                    new Naming("iam", List.of("ManagedPolicyName"), RefReturns.ARN, "policy/{name}")),
            Map.entry("AWS::SNS::Topic", new Naming("sns", List.of("TopicName"), RefReturns.ARN, "{name}")),
            Map.entry("AWS::SQS::Queue", new Naming("sqs", List.of("QueueName"), RefReturns.QUEUE_URL, "{name}")),
            Map.entry("AWS::KMS::Key", new Naming("kms", List.of(), RefReturns.NAME, "key/{name}")),
            Map.entry("AWS::KMS::Alias", new Naming("kms", List.of("AliasName"), RefReturns.NAME, "{name}")),
            Map.entry(
                    "AWS::Logs::LogGroup",
                    new Naming("logs", List.of("LogGroupName"), RefReturns.NAME, "log-group:{name}:*")),
            Map.entry("AWS::IoT::TopicRule", new Naming("iot", List.of("RuleName"), RefReturns.NAME, "rule/{name}")),
            Map.entry("AWS::IoT::Policy", new Naming("iot", List.of("PolicyName"), RefReturns.NAME, "policy/{name}")),
            Map.entry(
                    "AWS::Glue::Database",
                    new Naming("glue", List.of("DatabaseInput", "Name"), RefReturns.NAME, "database/{name}")),
            Map.entry(
                    "AWS::Glue::Table",
                    new Naming("glue", List.of("TableInput", "Name"), RefReturns.NAME, "table/{name}")),
            Map.entry(
                    "AWS::Athena::WorkGroup",
                    new Naming("athena", List.of("Name"), RefReturns.NAME, "workgroup/{name}")),
            Map.entry(
                    "AWS::Athena::NamedQuery",
                    new Naming("athena", List.of("Name"), RefReturns.NAME, "namedquery/{name}")),
            Map.entry(
                    "AWS::ECS::Cluster", new Naming("ecs", List.of("ClusterName"), RefReturns.NAME, "cluster/{name}")),
            Map.entry(
                    "AWS::ECS::TaskDefinition",
                    new Naming("ecs", List.of("Family"), RefReturns.ARN, "task-definition/{name}:1")),
            Map.entry("AWS::ECS::Service", new Naming("ecs", List.of("ServiceName"), RefReturns.ARN, "service/{name}")),
            Map.entry(
                    "AWS::ECR::Repository",
                    new Naming("ecr", List.of("RepositoryName"), RefReturns.NAME, "repository/{name}")),
            Map.entry(
                    "AWS::CloudWatch::Alarm",
                    new Naming("cloudwatch", List.of("AlarmName"), RefReturns.NAME, "alarm:{name}")),
            Map.entry(
                    "AWS::CloudWatch::Dashboard",
                    new Naming("cloudwatch", List.of("DashboardName"), RefReturns.NAME, "dashboard/{name}")));

    /**
     * The resource's physical name: the name its properties set, else {@code {stack}-{LogicalId}}
     * (lower-cased for S3 buckets and ECR repositories).
     */
    public String physicalName(ResolvedResource resource, PseudoParameters pseudo) {
        Naming naming = NAMINGS.get(resource.type());
        if (naming != null && !naming.namePath().isEmpty()) {
            Optional<String> named = resource.stringProperty(naming.namePath().toArray(String[]::new));
            if (named.isPresent()) {
                return named.get();
            }
        }
        String generated = pseudo.stackName() + "-" + resource.logicalId();
        boolean lowerCaseOnly =
                resource.type().equals("AWS::S3::Bucket") || resource.type().equals("AWS::ECR::Repository");
        return lowerCaseOnly ? generated.toLowerCase(Locale.ROOT) : generated;
    }

    /** The resource's ARN in the shape AWS uses for its type. */
    public String arn(ResolvedResource resource, PseudoParameters pseudo) {
        String name = physicalName(resource, pseudo);
        Naming naming = NAMINGS.get(resource.type());
        String service = naming != null ? naming.service() : serviceOf(resource.type());
        String path = naming != null
                ? naming.arnResource().replace("{name}", name)
                : resource.type()
                                .substring(resource.type().lastIndexOf(':') + 1)
                                .toLowerCase(Locale.ROOT) + "/" + name;
        boolean global = service.equals("s3") || service.equals("iam");
        String region = global ? "" : pseudo.region();
        String account = service.equals("s3") ? "" : pseudo.accountId();
        if (service.equals("sns") || service.equals("sqs")) {
            return "arn:" + pseudo.partition() + ":" + service + ":" + region + ":" + account + ":" + name;
        }
        return "arn:" + pseudo.partition() + ":" + service + ":" + region + ":" + account + ":" + path;
    }

    @Override
    public Optional<Object> ref(ResolvedResource resource, PseudoParameters pseudo) {
        Naming naming = NAMINGS.get(resource.type());
        RefReturns returns = naming == null ? RefReturns.NAME : naming.refReturns();
        switch (returns) {
            case ARN:
                return Optional.of(arn(resource, pseudo));
            case QUEUE_URL:
                return Optional.of(queueUrl(resource, pseudo));
            default:
                return Optional.of(physicalName(resource, pseudo));
        }
    }

    @Override
    public Optional<Object> attribute(ResolvedResource resource, String attribute, PseudoParameters pseudo) {
        String name = physicalName(resource, pseudo);
        switch (attribute) {
            case "Arn":
                return Optional.of(arn(resource, pseudo));
            case "StreamArn": // DynamoDB stream; the label is fixed so the ARN is stable across runs
                return Optional.of(arn(resource, pseudo) + "/stream/1970-01-01T00:00:00.000");
            case "QueueUrl":
                return Optional.of(queueUrl(resource, pseudo));
            case "DomainName":
                return Optional.of(name + ".s3." + pseudo.urlSuffix());
            case "RegionalDomainName":
                return Optional.of(name + ".s3." + pseudo.region() + "." + pseudo.urlSuffix());
            case "RepositoryUri":
                return Optional.of(
                        pseudo.accountId() + ".dkr.ecr." + pseudo.region() + "." + pseudo.urlSuffix() + "/" + name);
            case "KeyId":
            case "Name":
            case "QueueName":
            case "TopicName":
            case "RoleId":
                return Optional.of(name);
            default:
                return Optional.empty();
        }
    }

    private String queueUrl(ResolvedResource resource, PseudoParameters pseudo) {
        return "https://sqs." + pseudo.region() + "." + pseudo.urlSuffix() + "/" + pseudo.accountId() + "/"
                + physicalName(resource, pseudo);
    }

    private static String serviceOf(String type) {
        String[] parts = type.split("::");
        return parts.length == 3 ? parts[1].toLowerCase(Locale.ROOT) : "cloudformation";
    }
}
