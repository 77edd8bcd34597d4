package io.github.iottelemetry.sim.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.iottelemetry.core.ledger.ExpectedOutcome;
import io.github.iottelemetry.core.ledger.LedgerEntry;
import io.github.iottelemetry.core.validation.ReasonCode;
import io.github.iottelemetry.core.validation.TelemetryValidator;
import io.github.iottelemetry.core.validation.ValidationLimits;
import io.github.iottelemetry.core.validation.ValidationResult;
import io.github.iottelemetry.localca.DeviceCredentials;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The simulator against the local IoT Core broker over mTLS, run from its command line. */
class FleetIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path state;

    private static LocalBroker broker;

    @TempDir
    Path temp;

    @BeforeAll
    static void startBroker() {
        broker = new LocalBroker(state.resolve("local-cloud"));
    }

    @AfterAll
    static void stopBroker() {
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void fiftyDevicesWithHeavyFaultsLedgerMatchesWhatTheBrokerDelivered() throws Exception {
        Path fleet = FleetFixture.provision(broker, temp.resolve("fleet"), "sim-", 50);
        DeviceCredentials observerIdentity =
                broker.iot().certificateAuthority().issueDeviceCertificate("observer", temp.resolve("observer"));
        Path ledgerFile = temp.resolve("run.ledger");
        FleetFixture.Outcome run;
        TelemetryObserver observer = new TelemetryObserver(
                "127.0.0.1",
                broker.iot().port(),
                broker.iot().caCertificateFile().toString(),
                observerIdentity);
        try {
            run = FleetFixture.sim(
                    "run",
                    "--fleet",
                    fleet.toString(),
                    "--rate",
                    "20/s",
                    "--batch",
                    "5",
                    "--messages",
                    "20",
                    "--faults",
                    "heavy",
                    "--seed",
                    "7",
                    "--ledger",
                    ledgerFile.toString(),
                    "--json");
            try {
                Awaitility.await()
                        .atMost(Duration.ofSeconds(10))
                        .pollInterval(Duration.ofMillis(50))
                        .until(() -> observer.deliveryCount() >= 1000);
            } catch (ConditionTimeoutException e) {
                // The observer's share is checked below against what the run reports.
            }
        } finally {
            observer.close();
        }

        assertThat(run.exitCode()).as(run.err()).isZero();
        JsonNode summary = JSON.readTree(run.out());
        assertThat(summary.get("acked").asLong()).isEqualTo(1000);
        assertThat(summary.get("unacked").asLong()).isZero();
        assertThat(summary.get("sent").asLong()).isEqualTo(1000);
        for (String key : List.of("sent", "acked", "unacked", "reconnects", "errors", "p50Ms", "p99Ms")) {
            assertThat(summary.has(key)).as(key).isTrue();
        }

        List<LedgerEntry> ledger = FleetFixture.readLedger(ledgerFile, true);
        assertThat(ledger).hasSize(1000).allMatch(LedgerEntry::acked);
        Set<ReasonCode> reasons =
                ledger.stream().map(LedgerEntry::reason).filter(r -> r != null).collect(Collectors.toSet());
        assertThat(reasons)
                .containsExactlyInAnyOrder(
                        ReasonCode.LATE,
                        ReasonCode.MALFORMED_JSON,
                        ReasonCode.SCHEMA_VIOLATION,
                        ReasonCode.IDENTITY_MISMATCH,
                        ReasonCode.TOO_LARGE);
        assertThat(ledger).anyMatch(e -> e.outcome() == ExpectedOutcome.DUPLICATE);

        // Every acknowledged message was delivered, nothing else was, and each delivery validates to the ledger's
        // outcome.
        Map<String, List<LedgerEntry>> ledgerByKey = new HashMap<>();
        ledger.forEach(e -> ledgerByKey
                .computeIfAbsent(e.deviceId() + "/" + e.seq(), k -> new ArrayList<>())
                .add(e));
        Map<String, List<TelemetryObserver.Delivery>> delivered = observer.deliveries();
        assertThat(delivered.keySet()).isEqualTo(ledgerByKey.keySet());
        TelemetryValidator validator = new TelemetryValidator(ValidationLimits.defaults());
        ledgerByKey.forEach((key, entries) -> {
            List<TelemetryObserver.Delivery> deliveries = delivered.get(key);
            assertThat(deliveries.size()).as("deliveries of " + key).isGreaterThanOrEqualTo(entries.size());
            LedgerEntry first = entries.get(0);
            for (TelemetryObserver.Delivery delivery : deliveries) {
                ValidationResult result = validator.validate(asTheRuleForwardsIt(delivery), delivery.receivedAt());
                if (first.outcome() == ExpectedOutcome.QUARANTINED) {
                    assertThat(result)
                            .as(key)
                            .isInstanceOfSatisfying(
                                    ValidationResult.Quarantined.class,
                                    q -> assertThat(q.reason()).isEqualTo(first.reason()));
                } else {
                    assertThat(result).as(key).isInstanceOf(ValidationResult.Valid.class);
                }
            }
            if (entries.stream().anyMatch(e -> e.outcome() == ExpectedOutcome.DUPLICATE)) {
                assertThat(entries.get(0).outcome()).as(key).isEqualTo(ExpectedOutcome.COUNTED);
            }
        });
    }

    @Test
    void seqContinuesAcrossASimulatorRestart() throws Exception {
        Path fleet = FleetFixture.provision(broker, temp.resolve("fleet"), "seq-", 3);
        Path first = temp.resolve("first.ledger");
        Path second = temp.resolve("second.ledger");
        String[] common = {
            "run", "--fleet", fleet.toString(), "--rate", "50/s", "--batch", "5", "--messages", "4", "--faults", "none"
        };

        assertThat(FleetFixture.sim(concat(common, "--ledger", first.toString()))
                        .exitCode())
                .isZero();
        assertThat(FleetFixture.sim(concat(common, "--ledger", second.toString()))
                        .exitCode())
                .isZero();

        Map<String, List<Long>> firstSeqs = seqsByDevice(FleetFixture.readLedger(first, true));
        Map<String, List<Long>> secondSeqs = seqsByDevice(FleetFixture.readLedger(second, true));
        assertThat(firstSeqs)
                .hasSize(3)
                .allSatisfy((thing, seqs) -> assertThat(seqs).containsExactly(1L, 2L, 3L, 4L));
        assertThat(secondSeqs)
                .hasSize(3)
                .allSatisfy((thing, seqs) -> assertThat(seqs).containsExactly(5L, 6L, 7L, 8L));
    }

    @Test
    void badInputGivesOneMessagePerCauseWithTheCountOfDevices() throws Exception {
        Path fleet = FleetFixture.provision(broker, temp.resolve("fleet"), "bad-", 5);
        Files.delete(fleet.resolve("certs/bad-000002.key.pem"));
        Files.delete(fleet.resolve("certs/bad-000004.cert.pem"));

        FleetFixture.Outcome missing = FleetFixture.sim(
                "run",
                "--fleet",
                fleet.toString(),
                "--rate",
                "50/s",
                "--batch",
                "5",
                "--messages",
                "2",
                "--faults",
                "none",
                "--ledger",
                temp.resolve("a.ledger").toString());
        assertThat(missing.exitCode()).isEqualTo(2);
        assertThat(missing.err()).containsOnlyOnce("2 devices: certificate or private key missing or unreadable");

        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        FleetFixture.Outcome refused = FleetFixture.sim(
                "run",
                "--fleet",
                fleet.toString(),
                "--endpoint",
                "127.0.0.1:" + closedPort,
                "--messages",
                "1",
                "--ledger",
                temp.resolve("b.ledger").toString());
        assertThat(refused.exitCode()).isEqualTo(2);
        assertThat(refused.err()).containsOnlyOnce("3 devices: connection to 127.0.0.1:" + closedPort + " refused");

        FleetFixture.provision(broker, fleet, "bad-", 5); // reissues the two missing credentials
        FleetFixture.Outcome policy = FleetFixture.sim(
                "run",
                "--fleet",
                fleet.toString(),
                "--rate",
                "50/s",
                "--batch",
                "5",
                "--messages",
                "2",
                "--faults",
                "none",
                "--basic-ingest",
                "not_the_rule",
                "--ledger",
                temp.resolve("c.ledger").toString());
        assertThat(policy.exitCode()).isEqualTo(4);
        assertThat(policy.err())
                .containsOnlyOnce("5 devices: publish to $aws/rules/not_the_rule/dt/telemetry/<thing> refused by the"
                        + " broker with PUBACK 0x87");
        assertThat(FleetFixture.readLedger(temp.resolve("c.ledger"), true))
                .hasSize(10)
                .noneMatch(LedgerEntry::acked);
    }

    @Test
    @org.junit.jupiter.api.Timeout(90) // a device that never connects must not keep a --messages run from ending
    void aDeviceWhoseCertificateTheSdkRefusesStillEndsTheRunWithItsMessagesUnacknowledged() throws Exception {
        Path fleet = FleetFixture.provision(broker, temp.resolve("fleet-unusable"), "unusable-", 3);
        Files.writeString(fleet.resolve("certs/unusable-000002.cert.pem"), "not a certificate\n");

        FleetFixture.Outcome run = FleetFixture.sim(
                "run",
                "--fleet",
                fleet.toString(),
                "--rate",
                "50/s",
                "--batch",
                "5",
                "--messages",
                "2",
                "--faults",
                "none",
                "--ledger",
                temp.resolve("u.ledger").toString());

        assertThat(run.exitCode()).as(run.err()).isNotZero();
        assertThat(run.err()).contains("1 device");
        List<LedgerEntry> ledger = FleetFixture.readLedger(temp.resolve("u.ledger"), true);
        assertThat(ledger).hasSize(6);
        assertThat(ledger)
                .filteredOn(e -> e.deviceId().equals("unusable-000002"))
                .hasSize(2)
                .noneMatch(LedgerEntry::acked);
        assertThat(ledger)
                .filteredOn(e -> !e.deviceId().equals("unusable-000002"))
                .hasSize(4)
                .allMatch(LedgerEntry::acked);
    }

    @Test
    void sigtermFlushesAndClosesTheLedger() throws Exception {
        Path fleet = FleetFixture.provision(broker, temp.resolve("fleet"), "term-", 5);
        Path ledgerFile = temp.resolve("term.ledger");
        Process child = new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-cp",
                        System.getProperty("java.class.path"),
                        "io.github.iottelemetry.sim.cli.SimCommand",
                        "run",
                        "--fleet",
                        fleet.toString(),
                        "--rate",
                        "20/s",
                        "--batch",
                        "2",
                        "--duration",
                        "10m",
                        "--ledger",
                        ledgerFile.toString())
                .redirectErrorStream(true)
                .redirectOutput(temp.resolve("child.log").toFile())
                .start();
        try {
            Awaitility.await("50 ledger entries within 60 s")
                    .atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofMillis(200))
                    .failFast(
                            "the simulator exited",
                            () -> assertThat(child.isAlive())
                                    .as(() -> log(temp.resolve("child.log")))
                                    .isTrue())
                    .until(() -> entriesSoFar(ledgerFile) >= 50);
            child.destroy(); // SIGTERM, as Ctrl-C or `kill` sends
            assertThat(child.waitFor(40, TimeUnit.SECONDS)).isTrue();
        } finally {
            child.destroyForcibly();
        }
        List<LedgerEntry> entries = FleetFixture.readLedger(ledgerFile, true);
        assertThat(entries.size()).isGreaterThanOrEqualTo(50);
        assertThat(log(temp.resolve("child.log"))).contains("acked");
    }

    private static long entriesSoFar(Path ledger) {
        if (!Files.exists(ledger)) {
            return 0;
        }
        try {
            return FleetFixture.readLedger(ledger, false).size();
        } catch (Exception e) {
            return 0; // header not flushed yet
        }
    }

    private static String log(Path file) {
        try {
            return Files.readString(file);
        } catch (java.io.IOException e) {
            return "(no log: " + e + ")";
        }
    }

    /** What the rule `SELECT *, topic(3) AS thing, timestamp() AS ingestTs` makes of a JSON payload; other bytes pass as they are. */
    private static byte[] asTheRuleForwardsIt(TelemetryObserver.Delivery delivery) {
        try {
            JsonNode node = JSON.readTree(delivery.payload());
            if (node instanceof ObjectNode object) {
                object.put("thing", delivery.thing());
                object.put("ingestTs", delivery.receivedAt());
                return JSON.writeValueAsBytes(object);
            }
        } catch (java.io.IOException notJson) {
            // malformed: the validator sees the raw bytes
        }
        return delivery.payload();
    }

    private static Map<String, List<Long>> seqsByDevice(List<LedgerEntry> entries) {
        Map<String, List<Long>> seqs = new HashMap<>();
        entries.stream()
                .sorted(java.util.Comparator.comparingLong(LedgerEntry::seq))
                .forEach(e -> seqs.computeIfAbsent(e.deviceId(), k -> new ArrayList<>())
                        .add(e.seq()));
        return seqs;
    }

    private static String[] concat(String[] head, String... tail) {
        String[] all = java.util.Arrays.copyOf(head, head.length + tail.length);
        System.arraycopy(tail, 0, all, head.length, tail.length);
        return all;
    }
}
