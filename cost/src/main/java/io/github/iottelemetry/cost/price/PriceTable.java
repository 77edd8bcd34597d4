package io.github.iottelemetry.cost.price;

import io.github.iottelemetry.cost.CostInputException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * The AWS list prices the model uses, read from {@code prices.csv} beside this class. Every row must carry a
 * source page and the date it was checked; the model never holds a price of its own.
 */
public final class PriceTable {

    public static final String RESOURCE = "/io/github/iottelemetry/cost/prices.csv";
    private static final List<String> COLUMNS =
            List.of("region", "service", "unit", "price_usd", "source_url", "checked", "note");
    private static final Pattern CHECKED = Pattern.compile("\\d{4}(-\\d{2}(-\\d{2})?)?");

    private final String sourceName;
    private final Map<String, Map<String, Price>> byRegion;

    private PriceTable(String sourceName, Map<String, Map<String, Price>> byRegion) {
        this.sourceName = sourceName;
        this.byRegion = byRegion;
    }

    /** The table shipped with the module. */
    public static PriceTable bundled() {
        InputStream in = PriceTable.class.getResourceAsStream(RESOURCE);
        if (in == null) {
            throw new IllegalStateException(
                    "price table " + RESOURCE + " is missing from the classpath; rebuild the cost module");
        }
        return read("prices.csv", in);
    }

    /** Reads a table in the bundled format; rows without a positive price, a source URL or a check date are rejected. */
    public static PriceTable read(String sourceName, InputStream in) {
        Map<String, Map<String, Price>> byRegion = new LinkedHashMap<>();
        for (CsvRows.Row row : CsvRows.read(sourceName, in, COLUMNS)) {
            String where = sourceName + ":" + row.line();
            BigDecimal usd;
            try {
                usd = new BigDecimal(row.get("price_usd"));
            } catch (NumberFormatException e) {
                throw new IllegalStateException(where + ": price_usd '" + row.get("price_usd") + "' is not a number");
            }
            if (usd.signum() <= 0) {
                throw new IllegalStateException(where + ": price_usd must be positive, got " + usd);
            }
            if (!row.get("source_url").startsWith("https://")) {
                throw new IllegalStateException(
                        where + ": source_url must be the https:// page the price was read from, got '"
                                + row.get("source_url") + "'");
            }
            if (!CHECKED.matcher(row.get("checked")).matches()) {
                throw new IllegalStateException(
                        where + ": checked must be a date (YYYY-MM-DD, or YYYY[-MM] when the page gives no day), got '"
                                + row.get("checked") + "'");
            }
            Price price = new Price(
                    row.get("region"),
                    row.get("service"),
                    row.get("unit"),
                    usd,
                    row.get("source_url"),
                    row.get("checked"),
                    row.get("note"));
            Price previous = byRegion.computeIfAbsent(price.region(), region -> new LinkedHashMap<>())
                    .put(price.key(), price);
            if (previous != null) {
                throw new IllegalStateException(where + ": " + price.region() + " " + price.key() + " is listed twice");
            }
        }
        return new PriceTable(sourceName, byRegion);
    }

    /** The prices of one region; the error lists the regions the table covers. */
    public RegionPrices region(String region) {
        Map<String, Price> prices = byRegion.get(region);
        if (prices == null) {
            throw new CostInputException(
                    "no prices for region '" + region + "' in " + sourceName + " (it covers " + regions()
                            + "); add the region's rows with their source pages to cost/src/main/resources" + RESOURCE);
        }
        return new RegionPrices(region, prices, sourceName);
    }

    public Set<String> regions() {
        return new TreeSet<>(byRegion.keySet());
    }

    /** Every row, region by region. */
    public List<Price> rows() {
        return byRegion.values().stream()
                .flatMap(prices -> prices.values().stream())
                .toList();
    }

    /** The latest check date in the table, the date the output names. */
    public String newestCheck() {
        return rows().stream()
                .map(Price::checked)
                .max(Comparator.naturalOrder())
                .orElseThrow();
    }

    /** The oldest check date in the table. */
    public String oldestCheck() {
        return rows().stream()
                .map(Price::checked)
                .min(Comparator.naturalOrder())
                .orElseThrow();
    }

    /** The prices of one region, by {@code service/unit}. */
    public record RegionPrices(String region, Map<String, Price> byKey, String sourceName) {

        /** The price for {@code service}/{@code unit}; a missing row is a broken table, named as such. */
        public Price get(String service, String unit) {
            Price price = byKey.get(service + "/" + unit);
            if (price == null) {
                throw new IllegalStateException(sourceName + " has no row for region " + region + ", service " + service
                        + ", unit " + unit + ", which the cost model needs");
            }
            return price;
        }
    }
}
