package io.github.iottelemetry.cost.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.iottelemetry.cost.estimate.CostEstimate;
import io.github.iottelemetry.cost.settings.LifecycleRule;
import io.github.iottelemetry.cost.settings.PipelineSettings;
import java.io.UncheckedIOException;

/** Writes a {@link CostReport} as JSON: inputs, both estimates with their totals, checks and assumptions. */
public final class JsonReport {

    private static final ObjectMapper JSON = new ObjectMapper()
            .findAndRegisterModules()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS);

    private JsonReport() {}

    public static String render(CostReport report) {
        ObjectNode root = JSON.createObjectNode();
        root.put("region", report.region());
        root.put("priceTable", report.priceTable());
        root.put("pricesCheckedNewest", report.pricesCheckedNewest());
        root.put("pricesCheckedOldest", report.pricesCheckedOldest());
        root.set("fleet", JSON.valueToTree(report.fleet()));
        root.set("settings", settings(report.settings()));
        root.set("design", estimate(report.design()));
        root.set("naive", estimate(report.naive()));
        root.put("savingVersusNaive", report.savingVersusNaive());
        root.set("capacityChecks", JSON.valueToTree(report.checks()));
        root.set("assumptions", JSON.valueToTree(report.assumptions()));
        try {
            return JSON.writeValueAsString(root);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException("writing the cost report as JSON", e);
        }
    }

    /** The settings by hand: Optional fields need no extra Jackson module this way. */
    private static ObjectNode settings(PipelineSettings settings) {
        ObjectNode node = JSON.createObjectNode();
        node.put("template", settings.templateSource());
        node.set("stream", JSON.valueToTree(settings.stream()));
        node.set("rules", JSON.valueToTree(settings.rules()));
        node.set("ingest", JSON.valueToTree(settings.ingest()));
        PipelineSettings.Aggregation aggregation = settings.aggregation();
        ObjectNode windows = node.putObject("aggregation");
        windows.set(
                "resolutions",
                JSON.valueToTree(
                        aggregation.resolutions().stream().map(Object::toString).toList()));
        windows.put("allowedLatenessSeconds", aggregation.allowedLatenessSeconds());
        windows.put("maxOpenSeconds", aggregation.maxOpenSeconds());
        windows.put("shortWindowTtlDays", aggregation.shortWindowTtlDays());
        windows.put("ttlDays", aggregation.ttlDays());
        node.set("processor", JSON.valueToTree(settings.processor()));
        node.set("tables", JSON.valueToTree(settings.tables()));
        ObjectNode lake = node.putObject("lake");
        lake.put("dataRetentionDays", settings.lake().dataRetentionDays());
        lake.put("versioned", settings.lake().versioned());
        lake.put("noncurrentDays", settings.lake().noncurrentDays());
        lake.put("resultsExpirationDays", settings.lake().resultsExpirationDays());
        ArrayNode lifecycle = lake.putArray("lifecycle");
        for (LifecycleRule rule : settings.lake().lifecycle()) {
            ObjectNode ruleNode = lifecycle.addObject();
            ruleNode.put("id", rule.id());
            ruleNode.put("prefix", rule.prefix().orElse(null));
            ruleNode.put("objectSizeGreaterThan", rule.objectSizeGreaterThan().orElse(null));
            ruleNode.set("transitions", JSON.valueToTree(rule.transitions()));
            ruleNode.put("expirationDays", rule.expirationDays().orElse(null));
        }
        ObjectNode observability = node.putObject("observability");
        observability.put("alarms", settings.observability().alarms());
        observability.put("dashboards", settings.observability().dashboards());
        observability.put(
                "logRetentionDays", settings.observability().logRetentionDays().orElse(null));
        observability.put("customerManagedKeys", settings.observability().customerManagedKeys());
        observability.put("imagesKept", settings.observability().imagesKept());
        node.set("notes", JSON.valueToTree(settings.notes()));
        return node;
    }

    private static ObjectNode estimate(CostEstimate estimate) {
        ObjectNode node = JSON.valueToTree(estimate);
        node.put("totalUsd", estimate.totalUsd());
        node.put("usdPerMillionReadings", estimate.usdPerMillionReadings());
        node.set("biggestLines", JSON.valueToTree(estimate.biggest(3)));
        node.set("byService", JSON.valueToTree(estimate.byService()));
        return node;
    }
}
