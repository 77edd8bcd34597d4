package io.github.iottelemetry.cost.estimate;

import io.github.iottelemetry.core.window.Resolution;
import io.github.iottelemetry.cost.settings.LifecycleRule;
import io.github.iottelemetry.cost.settings.LifecycleRule.Transition;
import io.github.iottelemetry.cost.settings.PipelineSettings;
import io.github.iottelemetry.cost.settings.PipelineSettings.Aggregation;
import io.github.iottelemetry.cost.settings.PipelineSettings.Ingest;
import io.github.iottelemetry.cost.settings.PipelineSettings.Lake;
import io.github.iottelemetry.cost.settings.PipelineSettings.Observability;
import io.github.iottelemetry.cost.settings.PipelineSettings.Processor;
import io.github.iottelemetry.cost.settings.PipelineSettings.Rules;
import io.github.iottelemetry.cost.settings.PipelineSettings.Stream;
import io.github.iottelemetry.cost.settings.PipelineSettings.Tables;
import java.util.List;
import java.util.Optional;

/** Pipeline settings for model tests, written out so each test's arithmetic starts from visible numbers. */
public final class Settings {

    private Settings() {}

    /**
     * template.yaml's defaults as scripts/deploy deploys them (TemplateSettingsReaderTest checks the reader gets exactly
     * these from the project's template): on-demand stream, Basic Ingest, one rule with one Kinesis action; the ingest
     * function arm64 1769 MB, BatchSize 1000, 5 s window, X-Ray, device state every 60 s; 1m and 1h windows, DynamoDB
     * keeps 1m for 7 days and 1h for 365; one to four 1 vCPU / 2 GB ARM64 tasks with a public IP and KCL metrics; PITR on
     * the device-state table only; a versioned lake with 365-day expiry, Standard-IA over 128 KB after 30 days for raw/
     * and quarantine/, 7 days of noncurrent versions; 9 alarms, 1 dashboard, 30-day logs, 1 KMS key, 10 images.
     */
    public static PipelineSettings templateDefaults() {
        List<LifecycleRule> lifecycle = List.of(
                new LifecycleRule("raw-expire", Optional.of("raw/"), Optional.empty(), List.of(), Optional.of(365)),
                new LifecycleRule(
                        "raw-over-128k-to-infrequent-access",
                        Optional.of("raw/"),
                        Optional.of(131_072L),
                        List.of(new Transition(30, "STANDARD_IA")),
                        Optional.empty()),
                new LifecycleRule(
                        "quarantine-expire", Optional.of("quarantine/"), Optional.empty(), List.of(), Optional.of(365)),
                new LifecycleRule(
                        "quarantine-over-128k-to-infrequent-access",
                        Optional.of("quarantine/"),
                        Optional.of(131_072L),
                        List.of(new Transition(30, "STANDARD_IA")),
                        Optional.empty()),
                new LifecycleRule(
                        "aggregates-expire", Optional.of("aggregates/"), Optional.empty(), List.of(), Optional.of(365)),
                new LifecycleRule(
                        "rule-errors-expire", Optional.of("errors/"), Optional.empty(), List.of(), Optional.of(30)),
                new LifecycleRule(
                        "noncurrent-versions-and-uploads",
                        Optional.empty(),
                        Optional.empty(),
                        List.of(),
                        Optional.empty()));
        return new PipelineSettings(
                "template.yaml",
                new Stream(true, 0, 24, 2),
                new Rules(true, 1, 1, 0, 0),
                new Ingest(1769, "arm64", 1000, 5, 1, true, 60),
                new Aggregation(Resolution.parseList("1m,1h"), 120, 300, 7, 365),
                new Processor(true, 1, 4, 1, 2, "ARM64", true, true),
                new Tables(true, false, false),
                new Lake(365, lifecycle, true, 7, 7),
                new Observability(9, 1, Optional.of(30), 1, 10),
                List.of());
    }

    /**
     * Provisioned 1 shard, no Basic Ingest, one rule with one action, 256 MB arm64 without tracing, BatchSize 100, 5 s
     * window, every message's state, 1m windows kept 7 days, 1 small task without public IP or KCL metrics, nothing
     * versioned, no lifecycle, 7 days of retention.
     */
    static PipelineSettings smallProvisioned() {
        return new PipelineSettings(
                "test",
                new Stream(false, 1, 24, 2),
                new Rules(false, 1, 1, 0, 0),
                new Ingest(256, "arm64", 100, 5, 1, false, 0),
                new Aggregation(List.of(Resolution.parse("1m")), 120, 300, 7, 7),
                new Processor(true, 1, 1, 0.25, 0.5, "ARM64", false, false),
                new Tables(false, false, false),
                new Lake(7, List.of(), false, 0, 0),
                new Observability(0, 0, Optional.of(30), 0, 0),
                List.of());
    }
}
