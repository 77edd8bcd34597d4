package io.github.iottelemetry.localcloud.provision;

/** A template resource whose type the local engines do not provide; listed in the report, never dropped silently. */
public record NotEmulatedResource(String logicalId, String type, int line) {}
