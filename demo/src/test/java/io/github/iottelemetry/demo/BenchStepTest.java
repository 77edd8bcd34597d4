package io.github.iottelemetry.demo;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** How a step of `bench e2e` judges what it saw: rates from the counters, backlog at the fleet's end, verdict. */
class BenchStepTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** A Flow snapshot (the console's model) with these message totals and iterator ages. */
    private static JsonNode flow(long published, long ingested, long processed, long ingestAgeMs, long queued)
            throws Exception {
        return JSON.readTree(
                """
                {"stages":[
                  {"id":"broker","counters":[{"key":"publishesAccepted","total":%d,"perSecond":%d}]},
                  {"id":"rules","counters":[{"key":"queued","total":%d}]},
                  {"id":"kinesis","counters":[{"key":"recordsPut","total":%d}]},
                  {"id":"ingest","counters":[{"key":"recordsRead","total":%d}]},
                  {"id":"processor","counters":[{"key":"recordsRead","total":%d}]}],
                 "shards":[{"shard":"s0","ingest":{"iteratorAgeMs":%d},"processor":{"iteratorAgeMs":500}}]}
                """.formatted(published, published > 0 ? 1 : 0, queued, published, ingested, processed, ingestAgeMs));
    }

    private static Map<String, ProcessSampler.Usage> cpu(double seconds) {
        return Map.of("local cloud JVM (IoT, rules, Lambda)", new ProcessSampler.Usage(seconds, 1_000_000_000L));
    }

    private static BenchCommand.StepResult step(long ingestedAtEnd, long ingestAgeAtEnd, String verdict)
            throws Exception {
        BenchCommand.StepResult r = new BenchCommand.StepResult(1_000, 10, 30_000);
        r.line(0, "==> running the fleet for 90s (faults: none)");
        r.sample(1_000, flow(0, 0, 0, 0, 0), cpu(0));
        r.sample(2_000, flow(1, 0, 0, 0, 0), cpu(0.5)); // publishing starts
        r.sample(17_000, flow(1_000, 1_000, 1_000, 100, 0), cpu(8));
        r.sample(27_000, flow(2_000, ingestedAtEnd, 2_000, ingestAgeAtEnd, 0), cpu(13));
        r.line(28_000, "==> waiting for the pipeline to drain and the outputs to match the ledger (up to 360 s)");
        r.line(40_000, "verdict: " + verdict);
        r.line(
                41_000,
                "                window close (end + allowed lateness) -> durable in DynamoDB: p50 0.4 s, "
                        + "p99 1.2 s (1,234 windows; the workers' WindowCloseToDurable)");
        return r;
    }

    @Test
    void aStepThatKeptUpIsCarriedWithItsRatesLagAndCpu() throws Exception {
        BenchCommand.StepResult r = step(2_000, 200, "EXACT");
        // 1,000 messages in the 10 s after the warm-up: 100 msg/s, 1,000 readings/s.
        assertThat(r.stageRates()).containsEntry("broker (publishes accepted)", 1_000.0);
        assertThat(r.carriedRate()).isEqualTo(1_000.0);
        assertThat(r.carried()).isTrue();
        assertThat(r.closeLag).containsEntry("DynamoDB", "p50 0.4 s, p99 1.2 s (1,234 windows)");
        assertThat(r.cpuByProcess()).containsEntry("local cloud JVM (IoT, rules, Lambda)", 50.0);
    }

    @Test
    void aConsumerFallingBehindOrAVerdictOtherThanExactIsNotCarried() throws Exception {
        BenchCommand.StepResult behind = step(1_400, 45_000, "EXACT");
        assertThat(behind.carried()).isFalse();
        assertThat(behind.whyNot()).contains("ingest behind", "carried 400 of 1000");
        assertThat(behind.bottleneck()).startsWith("slowest stage: ingest Lambda");

        assertThat(step(2_000, 200, "MISMATCH").whyNot()).isEqualTo("verify MISMATCH");
    }
}
