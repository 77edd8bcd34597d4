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
    node.put("kinesisMode", settings.kinesisOnDemand() ? "ON_DEMAND" : "PROVISIONED");
    node.put("provisionedShards", settings.provisionedShards());
    node.put("streamRetentionHours", settings.streamRetentionHours());
    node.put("kinesisConsumers", settings.kinesisConsumers());
    node.put("useBasicIngest", settings.useBasicIngest());
    node.put("rulesPerMessage", settings.rulesPerMessage());
    node.put("ruleActionsPerMessage", settings.ruleActionsPerMessage());
    node.put("cloudWatchMetricActionsPerMessage", settings.cloudWatchMetricActionsPerMessage());
    node.put("cloudWatchLogsActionsPerMessage", settings.cloudWatchLogsActionsPerMessage());
    node.put("lambdaMemoryMb", settings.lambdaMemoryMb());
    node.put("lambdaArchitecture", settings.lambdaArchitecture());
    node.put("batchSize", settings.batchSize());
    node.put("maxBatchingWindowSeconds", settings.maxBatchingWindowSeconds());
    node.put("parallelizationFactor", settings.parallelizationFactor());
    node.set("resolutions", JSON.valueToTree(settings.resolutions().stream().map(Object::toString).toList()));
    node.put("allowedLatenessSeconds", settings.allowedLatenessSeconds());
    node.put("processorTasks", settings.processorTasks());
    node.put("processorVcpu", settings.processorVcpu());
    node.put("processorMemoryGb", settings.processorMemoryGb());
    node.put("processorArchitecture", settings.processorArchitecture());
    node.put("dataRetentionDays", settings.dataRetentionDays());
    ArrayNode lifecycle = node.putArray("lakeLifecycle");
    for (LifecycleRule rule : settings.lakeLifecycle()) {
      ObjectNode ruleNode = lifecycle.addObject();
      ruleNode.put("id", rule.id());
      ruleNode.put("prefix", rule.prefix().orElse(null));
      ruleNode.set("transitions", JSON.valueToTree(rule.transitions()));
      ruleNode.put("expirationDays", rule.expirationDays().orElse(null));
    }
    node.put("alarms", settings.alarms());
    node.put("dashboards", settings.dashboards());
    node.put("logRetentionDays", settings.logRetentionDays().orElse(null));
    node.set("notes", JSON.valueToTree(settings.notes()));
    return node;
  }

  private static ObjectNode estimate(CostEstimate estimate) {
    ObjectNode node = JSON.valueToTree(estimate);
    node.put("totalUsd", estimate.totalUsd());
    node.put("usdPerMillionReadings", estimate.usdPerMillionReadings());
    node.set("byService", JSON.valueToTree(estimate.byService()));
    return node;
  }
}
