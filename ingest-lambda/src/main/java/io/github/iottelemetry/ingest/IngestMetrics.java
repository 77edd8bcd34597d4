package io.github.iottelemetry.ingest;

import io.github.iottelemetry.core.validation.ReasonCode;
import io.github.iottelemetry.ingest.batch.BatchOutcome;
import java.util.Map;
import software.amazon.lambda.powertools.metrics.Metrics;
import software.amazon.lambda.powertools.metrics.MetricsFactory;
import software.amazon.lambda.powertools.metrics.model.DimensionSet;
import software.amazon.lambda.powertools.metrics.model.MetricUnit;

/**
 * EMF metrics of a batch through Powertools (namespace and service from POWERTOOLS_METRICS_NAMESPACE
 * and POWERTOOLS_SERVICE_NAME). Quarantined records carry a {@code Reason} dimension, so the
 * dashboard can show the quarantine rate by reason.
 */
final class IngestMetrics {
    static final String DEFAULT_NAMESPACE = "IotTelemetry";

    private final Metrics metrics = MetricsFactory.getMetricsInstance();
    private final String namespace;

    IngestMetrics(Map<String, String> env) {
        String configured = env.get("POWERTOOLS_METRICS_NAMESPACE");
        namespace = configured == null || configured.isBlank() ? DEFAULT_NAMESPACE : configured;
        metrics.setNamespace(namespace);
        String service = env.get("POWERTOOLS_SERVICE_NAME");
        if (service != null && !service.isBlank()) {
            metrics.setDefaultDimensions(DimensionSet.of("Service", service));
        }
    }

    void publish(BatchOutcome o) {
        metrics.addMetric("BatchSize", o.records(), MetricUnit.COUNT);
        metrics.addMetric("ValidRecords", o.valid(), MetricUnit.COUNT);
        metrics.addMetric("QuarantinedRecords", o.quarantinedTotal(), MetricUnit.COUNT);
        metrics.addMetric("DuplicateRecords", o.duplicates(), MetricUnit.COUNT);
        metrics.addMetric("StaleStateUpdates", o.staleStateUpdates(), MetricUnit.COUNT);
        metrics.addMetric("DeferredStateUpdates", o.deferredStateUpdates(), MetricUnit.COUNT);
        metrics.addMetric("RetriedRecords", o.failedSequenceNumbers().size(), MetricUnit.COUNT);
        metrics.addMetric("IngestLag", o.maxIngestLagMillis(), MetricUnit.MILLISECONDS);
        metrics.flush();
        for (Map.Entry<ReasonCode, Integer> e : o.quarantined().entrySet()) {
            metrics.flushSingleMetric(
                    "QuarantinedByReason",
                    e.getValue(),
                    MetricUnit.COUNT,
                    namespace,
                    DimensionSet.of("Reason", e.getKey().name()));
        }
    }
}
