package io.github.iottelemetry.cost;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class CostCommandTest {

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        List<String> all = new ArrayList<>(List.of("--template", fixture().toString()));
        all.addAll(List.of(args));
        return CostCommand.run(all.toArray(String[]::new), new PrintWriter(out, true), new PrintWriter(err, true));
    }

    private static Path fixture() {
        try {
            return Path.of(CostCommandTest.class
                    .getResource("/templates/pipeline.yaml")
                    .toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void printsTheEstimateWithThePriceTablesDateAndTheNaiveComparison() {
        int status = run("--devices", "100000", "--interval", "1s", "--batch", "10");

        assertThat(status).isZero();
        assertThat(out.toString())
                .contains("checked up to 2026-12-03")
                .contains("IoT Core", "Kinesis", "Lambda", "DynamoDB", "S3", "Athena", "CloudWatch", "ECS Fargate")
                .contains("per million readings")
                .contains("Biggest lines, and what would cut each:", "  1. ", "     cut: ")
                .contains("Naive design")
                .contains("Capacity");
    }

    @Test
    void pricesTheProjectsTemplateAsScriptsDeployDeploysItWithoutParameters() throws Exception {
        int status = CostCommand.run(
                new String[] {
                    "--template",
                    "../template.yaml",
                    "--devices",
                    "1000",
                    "--interval",
                    "1s",
                    "--batch",
                    "10",
                    "--format",
                    "json"
                },
                new PrintWriter(out, true),
                new PrintWriter(err, true));

        assertThat(status).as(err.toString()).isZero();
        JsonNode json = new ObjectMapper().readTree(out.toString());
        assertThat(json.get("settings").get("processor").get("deployed").asBoolean())
                .isTrue();
        assertThat(json.get("design").get("byService").has("ECS Fargate")).isTrue();
        assertThat(json.get("settings").get("notes").toString()).contains("priced as scripts/deploy deploys the stack");
        assertThat(json.get("design").get("biggestLines")).hasSize(3);
    }

    @Test
    void anEmptyProcessorImagePricesTheStackWithoutTheProcessor() throws Exception {
        int status = CostCommand.run(
                new String[] {
                    "--template",
                    "../template.yaml",
                    "--devices",
                    "1000",
                    "--interval",
                    "1s",
                    "--batch",
                    "10",
                    "--format",
                    "json",
                    "--param",
                    "StreamProcessorImage="
                },
                new PrintWriter(out, true),
                new PrintWriter(err, true));

        assertThat(status).as(err.toString()).isZero();
        JsonNode json = new ObjectMapper().readTree(out.toString());
        assertThat(json.get("design").get("byService").has("ECS Fargate")).isFalse();
        assertThat(json.get("settings").get("notes").toString()).contains("runs no stream-processor service");
    }

    @Test
    void writesJsonWithTotalsForBothDesigns() throws Exception {
        int status = run(
                "--devices",
                "1000",
                "--interval",
                "10s",
                "--batch",
                "6",
                "--format",
                "json",
                "--param",
                "ShardCount=1");

        assertThat(status).isZero();
        JsonNode json = new ObjectMapper().readTree(out.toString());
        assertThat(json.get("settings").get("stream").get("onDemand").asBoolean())
                .isFalse();
        assertThat(json.get("design").get("totalUsd").asDouble()).isPositive();
        assertThat(json.get("naive").get("totalUsd").asDouble())
                .isGreaterThan(json.get("design").get("totalUsd").asDouble());
        assertThat(json.get("capacityChecks").size()).isGreaterThan(5);
        assertThat(json.get("pricesCheckedNewest").asText()).isEqualTo("2026-12-03");
    }

    @Test
    void rejectsNegativeDevices() {
        assertThat(run("--devices", "-5", "--interval", "1s")).isEqualTo(2);
        assertThat(err.toString()).contains("--devices -5: the fleet needs at least one device");
    }

    @Test
    void rejectsAnUnknownRegion() {
        assertThat(run("--devices", "10", "--interval", "1s", "--region", "mars-north-1"))
                .isEqualTo(2);
        assertThat(err.toString())
                .contains("no prices for region 'mars-north-1'")
                .contains("us-east-1");
    }

    @Test
    void rejectsAParamWithoutValue() {
        assertThat(run("--devices", "10", "--interval", "1s", "--param", "ShardCount"))
                .isEqualTo(2);
        assertThat(err.toString()).contains("--param ShardCount: expected Key=Value");
    }

    @Test
    void rejectsABadInterval() {
        assertThat(run("--devices", "10", "--interval", "soon")).isEqualTo(2);
        assertThat(err.toString()).contains("--interval 'soon': use a number and a unit");
        assertThat(run("--devices", "10", "--interval", "0s")).isEqualTo(2);
        assertThat(err.toString()).contains("--interval '0s': must be longer than zero");
    }

    @Test
    void warnsWhenProvisionedShardsAreTooFew() {
        assertThat(run("--devices", "100000", "--interval", "1s", "--batch", "10", "--param", "ShardCount=2"))
                .isZero();
        assertThat(out.toString())
                .contains("WARN Kinesis shards (provisioned)")
                .contains("set ShardCount >= 11 (recommended 22)");
    }
}
