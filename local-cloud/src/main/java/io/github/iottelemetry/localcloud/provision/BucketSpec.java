package io.github.iottelemetry.localcloud.provision;

/** An S3 bucket to create. */
public record BucketSpec(String logicalId, String name) {}
