package io.github.iottelemetry.cost.price;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.iottelemetry.cost.CostInputException;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class PriceTableTest {

    private final PriceTable table = PriceTable.bundled();

    @Test
    void everyRowNamesItsSourcePageAndTheDateItWasChecked() {
        assertThat(table.rows()).hasSizeGreaterThan(30).allSatisfy(price -> {
            assertThat(price.sourceUrl()).startsWith("https://");
            assertThat(price.checked()).matches("\\d{4}(-\\d{2}(-\\d{2})?)?");
            assertThat(price.usd()).isPositive();
        });
        assertThat(table.newestCheck()).isEqualTo("2026-12-03");
        assertThat(table.oldestCheck()).isEqualTo("2020-10-15");
    }

    @Test
    void coversEveryUnitTheModelPricesInUsEast1() {
        PriceTable.RegionPrices usEast1 = table.region("us-east-1");

        assertThat(usEast1.get("iot-core", "messages-million").perUnit()).isEqualTo(1.00);
        assertThat(usEast1.get("lambda", "arm-gb-seconds").perUnit()).isEqualTo(0.0000133334);
        assertThat(usEast1.get("fargate", "arm-vcpu-hours").perUnit()).isEqualTo(0.03238);
        assertThat(usEast1.byKey())
                .containsKeys(
                        "dynamodb/pitr-gb-month",
                        "s3/get-requests-thousand",
                        "vpc/public-ipv4-hours",
                        "kms/customer-managed-keys-month",
                        "kms/requests-ten-thousand",
                        "xray/traces-recorded-million",
                        "ecr/storage-gb-month");
        assertThat(usEast1.byKey())
                .containsKeys(
                        "kinesis/on-demand-gb-in",
                        "kinesis/shard-hours",
                        "dynamodb/storage-gb-month",
                        "s3/put-requests-thousand",
                        "athena/tb-scanned",
                        "cloudwatch/put-metric-data-requests-thousand");
    }

    @Test
    void anUnknownRegionNamesTheRegionsTheTableCovers() {
        assertThatThrownBy(() -> table.region("xx-nowhere-1"))
                .isInstanceOf(CostInputException.class)
                .hasMessageContaining("no prices for region 'xx-nowhere-1'")
                .hasMessageContaining("[us-east-1]");
    }

    @Test
    void rejectsARowWithoutASourcePage() {
        String csv = """
        region,service,unit,price_usd,source_url,checked,note
        us-east-1,s3,standard-gb-month,0.023,,2026-11-23,"no source"
        """;

        assertThatThrownBy(() ->
                        PriceTable.read("bad.csv", new ByteArrayInputStream(csv.getBytes(StandardCharsets.UTF_8))))
                .hasMessageContaining("bad.csv:2: source_url must be the https:// page");
    }

    @Test
    void rejectsARowWithoutACheckDate() {
        String csv = """
        region,service,unit,price_usd,source_url,checked,note
        us-east-1,s3,standard-gb-month,0.023,https://aws.amazon.com/s3/pricing/,recently,""
        """;

        assertThatThrownBy(() ->
                        PriceTable.read("bad.csv", new ByteArrayInputStream(csv.getBytes(StandardCharsets.UTF_8))))
                .hasMessageContaining("bad.csv:2: checked must be a date");
    }

    @Test
    void quotasHaveSourcesAndRegionRowsWinOverTheAllRegionsRow() {
        ServiceQuotas quotas = ServiceQuotas.bundled();

        assertThat(quotas.rows())
                .allSatisfy(quota -> assertThat(quota.sourceUrl()).startsWith("https://"));
        assertThat(quotas.get("us-east-1", "iot-core", "publishes-per-second-per-account")
                        .value())
                .isEqualTo(20_000);
        assertThat(quotas.get("eu-central-1", "iot-core", "publishes-per-second-per-connection")
                        .value())
                .isEqualTo(100);
    }
}
