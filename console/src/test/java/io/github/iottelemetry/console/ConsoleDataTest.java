package io.github.iottelemetry.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class ConsoleDataTest {

    @Test
    void parameterLabelsComeFromTheDescriptionWithCommasInsideParenthesesKept() {
        assertThat(ConsoleData.parameterLabels("Fleet-wide min. Parameters: from day, to day (YYYY-MM-DD, inclusive)."))
                .containsExactly("from day", "to day (YYYY-MM-DD, inclusive)");
        assertThat(ConsoleData.parameterLabels("No parameters here")).isEmpty();
    }

    @Test
    void onAwsTheTablesAndWorkgroupAreTheOnesTheTemplateNamesForTheStack() {
        java.nio.file.Path template =
                java.nio.file.Path.of("..", "template.yaml").toAbsolutePath();
        try (ConsoleData aws = ConsoleData.aws(template, "fleet-prod", "eu-west-1", java.util.Map.of())) {
            assertThat(aws.deviceStateTable()).isEqualTo("fleet-prod-device-state");
            assertThat(aws.aggregatesTable()).isEqualTo("fleet-prod-aggregates");
            assertThat(aws.engine()).contains("workgroup fleet-prod-telemetry");
            assertThat(aws.liveMetricsFolder()).isEmpty();
            assertThat(aws.resolutions()).containsExactly("1m", "1h");
            assertThat(aws.mode()).isEqualTo("aws");
        }
    }

    @Test
    void athenaBillsAtLeastTenMegabytesAtFiveDollarsPerTerabyte() {
        assertThat(ConsoleData.athenaCost(0)).isEqualTo(0.00005);
        assertThat(ConsoleData.athenaCost(1_000_000_000_000L)).isEqualTo(5.0);
    }

    @Test
    void quarantinedBytesAreTextWhenUtf8AndBase64Always() {
        String markup = "<script>window.__pwned=1</script><img src=x onerror=\"document.title='pwned'\">";
        String b64 = Base64.getEncoder().encodeToString(markup.getBytes(StandardCharsets.UTF_8));
        ConsoleData.QuarantinedRecord r = ConsoleData.quarantinedRecord(
                Arrays.asList(1L, "2026-12-03", "MALFORMED_JSON", "detail", "shardId-0", "42", 77L, b64));
        assertThat(r.text()).isEqualTo(markup);
        assertThat(r.textIsUtf8()).isTrue();
        assertThat(r.dataBase64()).isEqualTo(b64);

        String binary = Base64.getEncoder().encodeToString(new byte[] {(byte) 0xff, (byte) 0xfe, 0x41});
        ConsoleData.QuarantinedRecord b = ConsoleData.quarantinedRecord(
                Arrays.asList("1", "2026-12-03", "MALFORMED_JSON", null, null, null, "3", binary));
        assertThat(b.textIsUtf8()).isFalse();
        assertThat(b.sizeBytes()).isEqualTo(3L);
        assertThat(b.arrivalTs()).isEqualTo(1L);
    }
}
