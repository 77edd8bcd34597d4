package io.github.iottelemetry.cost.estimate;

import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A month of the pipeline's bill for one fleet: line items, their totals by service, and the headline dollars
 * per million readings.
 *
 * @param design which design was priced
 * @param lineItems every billed quantity
 * @param readingsPerMonth readings the fleet sends in the month
 * @param messagesPerMonth MQTT messages the fleet sends in the month
 * @param workload the rates the month is priced from
 * @param notes what this estimate adds to the shared assumptions (alternatives, caveats)
 */
public record CostEstimate(
        String design,
        List<LineItem> lineItems,
        double readingsPerMonth,
        double messagesPerMonth,
        Workload workload,
        List<String> notes) {

    public CostEstimate {
        lineItems = List.copyOf(lineItems);
        notes = List.copyOf(notes);
    }

    public double totalUsd() {
        return lineItems.stream().mapToDouble(LineItem::monthlyUsd).sum();
    }

    /** Totals by service, in the order services first appear. */
    public Map<String, Double> byService() {
        Map<String, Double> totals = new LinkedHashMap<>();
        lineItems.forEach(item -> totals.merge(item.service(), item.monthlyUsd(), Double::sum));
        return totals;
    }

    public double usdPerMillionReadings() {
        return totalUsd() / (readingsPerMonth / 1e6);
    }

    /** The {@code count} most expensive line items, most expensive first. */
    public List<LineItem> biggest(int count) {
        return lineItems.stream()
                .sorted(Comparator.comparingDouble(LineItem::monthlyUsd).reversed())
                .limit(count)
                .toList();
    }
}
