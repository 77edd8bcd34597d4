package io.github.iottelemetry.localcloud.provision;

import java.util.Map;

/**
 * One template resource as provisioning needs it: type and properties with parameters, conditions and
 * pseudo parameters already resolved, the line it starts on for error messages, and its physical name
 * (what {@code !Ref} returns for a stream, table or bucket: the name property, or the name derived for
 * the stack when the template leaves it to CloudFormation).
 */
public record TemplateResourceView(
        String logicalId, String type, Map<String, Object> properties, int line, String physicalName) {}
