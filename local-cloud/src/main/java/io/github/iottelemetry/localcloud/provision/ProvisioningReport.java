package io.github.iottelemetry.localcloud.provision;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What provisioning did, resource by resource, and what it could not do: every template resource
 * whose type has no local engine is listed by logical id and type.
 */
public record ProvisioningReport(
        String sourceName,
        List<ProvisionedResource> provisioned,
        List<NotEmulatedResource> notEmulated,
        Map<String, String> resourceEnvironment,
        List<String> leftOutByCondition) {

    public static final ProvisioningReport EMPTY =
            new ProvisioningReport("(no template)", List.of(), List.of(), Map.of(), List.of());

    public ProvisioningReport {
        provisioned = List.copyOf(provisioned);
        notEmulated = List.copyOf(notEmulated);
        resourceEnvironment = Collections.unmodifiableMap(new LinkedHashMap<>(resourceEnvironment));
        leftOutByCondition = List.copyOf(leftOutByCondition);
    }

    /** Whether provisioning created the resource now or found it from an earlier run. */
    public enum Outcome {
        CREATED,
        REUSED
    }

    /**
     * @param detail what was created, such as "4 shards (on-demand)" or "GSI by-window, TTL expiresAt"
     * @param notApplied template properties the local engine does not apply, each with its consequence
     */
    public record ProvisionedResource(
            String logicalId, String type, String name, Outcome outcome, String detail, List<String> notApplied) {

        public ProvisionedResource {
            notApplied = List.copyOf(notApplied);
        }

        public ProvisionedResource(String logicalId, String type, String name, Outcome outcome, String detail) {
            this(logicalId, type, name, outcome, detail, List.of());
        }
    }

    public List<String> lines() {
        List<String> lines = new ArrayList<>();
        lines.add("Provisioned from " + sourceName + ":");
        for (ProvisionedResource resource : provisioned) {
            lines.add(String.format(
                    "  %-8s %-30s %-28s %s%s",
                    resource.outcome().name().toLowerCase(java.util.Locale.ROOT),
                    resource.type(),
                    resource.logicalId(),
                    resource.name(),
                    resource.detail().isEmpty() ? "" : "  (" + resource.detail() + ")"));
            resource.notApplied().forEach(property -> lines.add("           not applied locally: " + property));
        }
        if (!notEmulated.isEmpty()) {
            Map<String, List<String>> byType = new TreeMap<>();
            notEmulated.forEach(resource -> byType.computeIfAbsent(resource.type(), type -> new ArrayList<>())
                    .add(resource.logicalId()));
            lines.add("Not emulated by the local engines (" + notEmulated.size() + " resources):");
            byType.forEach((type, ids) -> lines.add(String.format("  %-30s %s", type, String.join(", ", ids))));
        }
        if (!leftOutByCondition.isEmpty()) {
            lines.add(
                    "Left out by the template's conditions for these parameters (" + leftOutByCondition.size() + "):");
            leftOutByCondition.forEach(resource -> lines.add("  " + resource));
        }
        return lines;
    }
}
