package io.github.iottelemetry.cost.price;

import io.github.iottelemetry.cost.CostInputException;
import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * AWS default quotas and hard limits the capacity checks compare against, read from {@code quotas.csv}. A row
 * for a region wins over the {@code *} row for all regions.
 */
public final class ServiceQuotas {

    public static final String RESOURCE = "/io/github/iottelemetry/cost/quotas.csv";
    private static final List<String> COLUMNS =
            List.of("region", "service", "unit", "value", "source_url", "checked", "note");

    /** One quota with its provenance. */
    public record Quota(
            String region, String service, String unit, double value, String sourceUrl, String checked, String note) {}

    private final Map<String, Quota> byRegionAndKey;

    private ServiceQuotas(Map<String, Quota> byRegionAndKey) {
        this.byRegionAndKey = byRegionAndKey;
    }

    public static ServiceQuotas bundled() {
        InputStream in = ServiceQuotas.class.getResourceAsStream(RESOURCE);
        if (in == null) {
            throw new IllegalStateException(
                    "quota table " + RESOURCE + " is missing from the classpath; rebuild the cost module");
        }
        Map<String, Quota> quotas = new LinkedHashMap<>();
        for (CsvRows.Row row : CsvRows.read("quotas.csv", in, COLUMNS)) {
            double value;
            try {
                value = Double.parseDouble(row.get("value"));
            } catch (NumberFormatException e) {
                throw new IllegalStateException(
                        "quotas.csv:" + row.line() + ": value '" + row.get("value") + "' is not a number");
            }
            if (!row.get("source_url").startsWith("https://")
                    || row.get("checked").isBlank()) {
                throw new IllegalStateException(
                        "quotas.csv:" + row.line() + ": every quota needs an https:// source and a checked date");
            }
            Quota quota = new Quota(
                    row.get("region"),
                    row.get("service"),
                    row.get("unit"),
                    value,
                    row.get("source_url"),
                    row.get("checked"),
                    row.get("note"));
            quotas.put(quota.region() + "|" + quota.service() + "/" + quota.unit(), quota);
        }
        return new ServiceQuotas(quotas);
    }

    /** The quota in {@code region}, else the all-regions row; none is an error that names the region. */
    public Quota get(String region, String service, String unit) {
        Quota quota = byRegionAndKey.get(region + "|" + service + "/" + unit);
        if (quota == null) {
            quota = byRegionAndKey.get("*|" + service + "/" + unit);
        }
        if (quota == null) {
            throw new CostInputException("quotas.csv has no " + service + " " + unit + " for region " + region
                    + " (nor for all regions); add it with its source page to cost/src/main/resources" + RESOURCE);
        }
        return quota;
    }

    public List<Quota> rows() {
        return List.copyOf(byRegionAndKey.values());
    }
}
