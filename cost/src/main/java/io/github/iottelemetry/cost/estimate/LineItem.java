package io.github.iottelemetry.cost.estimate;

/**
 * One billed quantity: {@code quantity} of the price's unit times its unit price.
 *
 * @param service the AWS service, as the report groups it
 * @param item what is billed, in the pipeline's terms
 * @param quantity how many price units a month
 * @param unit the price table's unit
 * @param unitPriceUsd the price of one unit
 * @param monthlyUsd quantity times unit price
 * @param lever what would cut this line, in the template's or the fleet's terms (empty when nothing in the pipeline's
 *     hands would)
 */
public record LineItem(
        String service,
        String item,
        double quantity,
        String unit,
        double unitPriceUsd,
        double monthlyUsd,
        String lever) {

    public LineItem {
        lever = lever == null ? "" : lever;
    }
}
