package io.github.iottelemetry.cost.price;

import java.math.BigDecimal;

/**
 * One row of the price table: what AWS charges in {@code region} for one {@code unit} of {@code service}, and
 * where and when the figure was read.
 *
 * @param checked an ISO date, or a year or year-month when the source page gives no day
 */
public record Price(
        String region, String service, String unit, BigDecimal usd, String sourceUrl, String checked, String note) {

    /** The price as a double for the model's arithmetic (prices have at most ten significant digits). */
    public double perUnit() {
        return usd.doubleValue();
    }

    /** {@code service/unit}, the key the model asks for. */
    public String key() {
        return service + "/" + unit;
    }
}
