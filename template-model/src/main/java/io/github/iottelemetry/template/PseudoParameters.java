package io.github.iottelemetry.template;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The values CloudFormation supplies for {@code AWS::*} pseudo parameters when a stack is created.
 * {@code AWS::NoValue} needs no value: a property set to it is removed during resolution.
 *
 * @param stackName {@code AWS::StackName}
 * @param region {@code AWS::Region}
 * @param accountId {@code AWS::AccountId}
 * @param partition {@code AWS::Partition}, such as {@code aws} or {@code aws-cn}
 * @param urlSuffix {@code AWS::URLSuffix}, such as {@code amazonaws.com}
 */
public record PseudoParameters(String stackName, String region, String accountId, String partition, String urlSuffix) {

    /** Every pseudo parameter name a {@code Ref} may use. */
    public static final Set<String> NAMES = Set.of(
            "AWS::AccountId",
            "AWS::NotificationARNs",
            "AWS::NoValue",
            "AWS::Partition",
            "AWS::Region",
            "AWS::StackId",
            "AWS::StackName",
            "AWS::URLSuffix");

    /** The account id that local engines (dynalite, kinesalite, moto) accept and report. */
    public static final String LOCAL_ACCOUNT_ID = "000000000000";

    public PseudoParameters {
        Objects.requireNonNull(stackName, "stackName");
        Objects.requireNonNull(region, "region");
        Objects.requireNonNull(accountId, "accountId");
        Objects.requireNonNull(partition, "partition");
        Objects.requireNonNull(urlSuffix, "urlSuffix");
    }

    /** Values for a stack in {@code region}, with the partition and URL suffix that region belongs to. */
    public static PseudoParameters of(String stackName, String region, String accountId) {
        if (region.startsWith("cn-")) {
            return new PseudoParameters(stackName, region, accountId, "aws-cn", "amazonaws.com.cn");
        }
        if (region.startsWith("us-gov-")) {
            return new PseudoParameters(stackName, region, accountId, "aws-us-gov", "amazonaws.com");
        }
        return new PseudoParameters(stackName, region, accountId, "aws", "amazonaws.com");
    }

    /** Values for a stack run by the local cloud: {@code us-east-1} and the local engines' account id. */
    public static PseudoParameters local(String stackName) {
        return of(stackName, "us-east-1", LOCAL_ACCOUNT_ID);
    }

    /** A stable {@code AWS::StackId}: the local cloud has no real stack, and a fixed id keeps runs comparable. */
    public String stackId() {
        return "arn:" + partition + ":cloudformation:" + region + ":" + accountId + ":stack/" + stackName
                + "/00000000-0000-0000-0000-000000000000";
    }

    /** The value of pseudo parameter {@code name}; {@code AWS::NoValue} has none and is handled by the resolver. */
    Object valueOf(String name) {
        Map<String, Object> values = Map.of(
                "AWS::AccountId", accountId,
                "AWS::NotificationARNs", List.of(),
                "AWS::Partition", partition,
                "AWS::Region", region,
                "AWS::StackId", stackId(),
                "AWS::StackName", stackName,
                "AWS::URLSuffix", urlSuffix);
        Object value = values.get(name);
        if (value == null) {
            throw new IllegalArgumentException("not a pseudo parameter with a value: " + name);
        }
        return value;
    }
}
