package io.github.iottelemetry.cost;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The project's goal for the default deployment, on the project's own template.yaml priced as scripts/deploy deploys
 * it (no --param): a reading every second of 4 metrics, 10 readings per message, costs at most $0.10 per million
 * readings at 100,000 and 1,000,000 devices and $0.15 at 1,000 (README "Cost").
 */
class DefaultDeploymentCostTest {

    @ParameterizedTest(name = "{0} devices: at most ${1} per million readings")
    @CsvSource({"1000, 0.15", "100000, 0.10", "1000000, 0.10"})
    void theDefaultDeploymentMeetsTheGoal(long devices, double goal) throws Exception {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();

        int status = CostCommand.run(
                new String[] {
                    "--template",
                    "../template.yaml",
                    "--devices",
                    Long.toString(devices),
                    "--interval",
                    "1s",
                    "--batch",
                    "10",
                    "--metrics",
                    "4",
                    "--format",
                    "json"
                },
                new PrintWriter(out, true),
                new PrintWriter(err, true));

        assertThat(status).as(err.toString()).isZero();
        JsonNode design = new ObjectMapper().readTree(out.toString()).get("design");
        assertThat(design.get("readingsPerMonth").asDouble()).isEqualTo(devices * 2_628_000.0);
        assertThat(design.get("byService").has("ECS Fargate"))
                .as("the stream processor is priced")
                .isTrue();
        assertThat(design.get("usdPerMillionReadings").asDouble()).isLessThanOrEqualTo(goal);
    }
}
