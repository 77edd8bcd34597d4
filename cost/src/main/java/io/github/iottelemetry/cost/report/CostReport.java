package io.github.iottelemetry.cost.report;

import io.github.iottelemetry.cost.estimate.CapacityCheck;
import io.github.iottelemetry.cost.estimate.CostEstimate;
import io.github.iottelemetry.cost.fleet.FleetWorkload;
import io.github.iottelemetry.cost.settings.PipelineSettings;
import java.util.List;

/**
 * Everything `pipeline cost` reports, in one value that the table and JSON writers share.
 *
 * @param region the priced region
 * @param priceTable the price table's name
 * @param pricesCheckedNewest the latest date a price was checked (the table's date)
 * @param pricesCheckedOldest the oldest date a price's source gives
 * @param fleet the fleet priced
 * @param settings the template's settings used
 * @param design the estimate for the pipeline as the template builds it
 * @param naive the estimate for the naive design
 * @param checks capacity checks for the design
 * @param assumptions what the model assumes, in words
 */
public record CostReport(
        String region,
        String priceTable,
        String pricesCheckedNewest,
        String pricesCheckedOldest,
        FleetWorkload fleet,
        PipelineSettings settings,
        CostEstimate design,
        CostEstimate naive,
        List<CapacityCheck> checks,
        List<String> assumptions) {

    /** How much cheaper the design is than the naive design, as a fraction of the naive total. */
    public double savingVersusNaive() {
        return 1 - design.totalUsd() / naive.totalUsd();
    }

    public long warnings() {
        return checks.stream().filter(check -> !check.ok()).count();
    }
}
