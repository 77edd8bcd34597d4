package io.github.iottelemetry.cost.report;

import io.github.iottelemetry.cost.estimate.CapacityCheck;
import io.github.iottelemetry.cost.estimate.CostEstimate;
import io.github.iottelemetry.cost.estimate.LineItem;
import io.github.iottelemetry.cost.fleet.FleetWorkload;
import io.github.iottelemetry.cost.settings.PipelineSettings;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/** Writes a {@link CostReport} as the plain-text table the command prints by default. */
public final class TableReport {

    private TableReport() {}

    public static String render(CostReport report) {
        StringBuilder out = new StringBuilder();
        FleetWorkload fleet = report.fleet();
        PipelineSettings settings = report.settings();
        CostEstimate design = report.design();
        out.append(String.format(
                Locale.ROOT,
                "Monthly AWS cost of %s in %s, prices from %s checked up to %s (oldest source %s)%n",
                settings.templateSource(),
                report.region(),
                report.priceTable(),
                report.pricesCheckedNewest(),
                report.pricesCheckedOldest()));
        out.append(String.format(
                Locale.ROOT,
                "Fleet: %,d devices, a reading every %s s of %d metrics, %d readings per message"
                        + " -> %,.0f messages/s, %,.0f readings/s, %,.0f readings a month%n",
                fleet.devices(),
                trim(fleet.readingIntervalSeconds()),
                fleet.metricsPerReading(),
                fleet.readingsPerMessage(),
                fleet.messagesPerSecond(),
                fleet.readingsPerSecond(),
                design.readingsPerMonth()));
        PipelineSettings.Aggregation aggregation = settings.aggregation();
        String kept = aggregation.resolutions().stream()
                .map(r -> r + " " + aggregation.ttlDays(r) + " d")
                .collect(Collectors.joining(", "));
        out.append(String.format(
                Locale.ROOT,
                "Template: Kinesis %s (%d shards), ingest Lambda %s %d MB BatchSize %d window %d s"
                        + " ParallelizationFactor %d (%,.1f invocations/s, %,.1f records and a %,.0f KB raw object each), device state"
                        + " every %s s, resolutions %s"
                        + " (DynamoDB keeps %s), Basic Ingest %s, %s, lake retention %d days%n%n",
                settings.stream().onDemand() ? "ON_DEMAND" : "PROVISIONED",
                design.workload().shards(),
                settings.ingest().architecture(),
                settings.ingest().memoryMb(),
                settings.ingest().batchSize(),
                settings.ingest().batchingWindowSeconds(),
                settings.ingest().parallelizationFactor(),
                design.workload().invocationsPerSecond(),
                design.workload().recordsPerInvocation(),
                design.workload().rawObjectBytes() / 1024,
                trim(Math.round(design.workload().stateWriteIntervalSeconds() * 10) / 10.0),
                aggregation.resolutions().stream().map(Object::toString).collect(Collectors.joining(",")),
                kept,
                settings.rules().useBasicIngest() ? "on" : "off",
                settings.processor().deployed()
                        ? String.format(
                                Locale.ROOT,
                                "%d Fargate tasks %s vCPU/%s GB %s",
                                design.workload().processorTasks(),
                                trim(settings.processor().vcpu()),
                                trim(settings.processor().memoryGb()),
                                settings.processor().architecture())
                        : "no stream processor",
                settings.lake().dataRetentionDays()));

        out.append(String.format(
                Locale.ROOT,
                "%-12s %-80s %18s %-40s %12s %12s%n",
                "Service",
                "Item",
                "Quantity",
                "Unit",
                "Unit USD",
                "Month USD"));
        String service = "";
        for (LineItem item : design.lineItems()) {
            out.append(String.format(
                    Locale.ROOT,
                    "%-12s %-80s %,18.2f %-40s %12s %,12.2f%n",
                    item.service().equals(service) ? "" : item.service(),
                    item.item(),
                    item.quantity(),
                    item.unit(),
                    trim(item.unitPriceUsd()),
                    item.monthlyUsd()));
            service = item.service();
        }
        out.append(String.format(Locale.ROOT, "%n%-12s", "By service"));
        for (Map.Entry<String, Double> total : design.byService().entrySet()) {
            out.append(String.format(Locale.ROOT, "  %s $%,.2f", total.getKey(), total.getValue()));
        }
        out.append(String.format(
                Locale.ROOT,
                "%nTotal: $%,.2f a month = $%.4f per million readings (%,.0f readings)%n",
                design.totalUsd(),
                design.usdPerMillionReadings(),
                design.readingsPerMonth()));
        out.append("Biggest lines, and what would cut each:").append(System.lineSeparator());
        int rank = 1;
        for (LineItem item : design.biggest(3)) {
            out.append(String.format(
                    Locale.ROOT,
                    "  %d. %s %s: $%,.2f (%.0f%%, $%.4f per million readings)%s%n",
                    rank++,
                    item.service(),
                    item.item(),
                    item.monthlyUsd(),
                    100 * item.monthlyUsd() / design.totalUsd(),
                    item.monthlyUsd() / (design.readingsPerMonth() / 1e6),
                    item.lever().isEmpty() ? "" : System.lineSeparator() + "     cut: " + item.lever()));
        }
        if (report.warnings() > 0) {
            out.append(String.format(
                    Locale.ROOT, "%d capacity warning%s:%n", report.warnings(), report.warnings() == 1 ? "" : "s"));
            report.checks().stream()
                    .filter(check -> !check.ok())
                    .forEach(check -> out.append("  WARN ")
                            .append(check.name())
                            .append(": ")
                            .append(check.message())
                            .append(System.lineSeparator()));
        }
        CostEstimate naive = report.naive();
        out.append(String.format(
                Locale.ROOT,
                "Naive design (1 reading per message, no Basic Ingest, a CloudWatch metric action"
                        + " per message, a DynamoDB write per reading): $%,.2f a month, $%.4f per million readings; this design costs"
                        + " %.1f%% less ($%,.2f a month)%n",
                naive.totalUsd(),
                naive.usdPerMillionReadings(),
                report.savingVersusNaive() * 100,
                naive.totalUsd() - design.totalUsd()));

        out.append(String.format(
                Locale.ROOT, "%nCapacity (%d warning%s)%n", report.warnings(), report.warnings() == 1 ? "" : "s"));
        for (CapacityCheck check : report.checks()) {
            out.append(String.format(
                    Locale.ROOT, "  %-4s %s: %s%n", check.ok() ? "ok" : "WARN", check.name(), check.message()));
        }
        out.append(String.format(Locale.ROOT, "%nNotes%n"));
        design.notes().forEach(note -> out.append("  - ").append(note).append(System.lineSeparator()));
        settings.notes().forEach(note -> out.append("  - ").append(note).append(System.lineSeparator()));
        out.append(String.format(Locale.ROOT, "%nAssumptions%n"));
        report.assumptions().forEach(line -> out.append("  - ").append(line).append(System.lineSeparator()));
        return out.toString();
    }

    private static String trim(double value) {
        if (value == Math.rint(value) && Math.abs(value) < 1e15) {
            return String.valueOf((long) value);
        }
        return java.math.BigDecimal.valueOf(value).stripTrailingZeros().toPlainString();
    }
}
