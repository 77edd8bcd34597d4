package io.github.iottelemetry.sim.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.iottelemetry.core.ledger.LedgerEntry;
import io.github.iottelemetry.core.validation.ValidationLimits;
import io.github.iottelemetry.sim.faults.FaultRates;
import io.github.iottelemetry.sim.ledger.AsyncLedger;
import io.github.iottelemetry.sim.provision.FleetManifest;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The broker goes away mid-run and comes back on the same port: every device reconnects and every message is acknowledged. */
class BrokerRestartIT {

    @TempDir
    Path temp;

    @Test
    void devicesReconnectAfterTheBrokerRestartsAndNothingIsLost() throws Exception {
        try (LocalBroker broker = new LocalBroker(temp.resolve("local-cloud"))) {
            Path fleet = FleetFixture.provision(broker, temp.resolve("fleet"), "rs-", 10);
            FleetManifest manifest = FleetManifest.read(fleet);
            String[] hostPort = broker.endpoint().split(":");
            FleetSettings settings = new FleetSettings(
                    hostPort[0],
                    Integer.parseInt(hostPort[1]),
                    broker.iot().caCertificateFile().toString(),
                    10,
                    1,
                    Duration.ofMinutes(5),
                    60,
                    3,
                    null,
                    FaultRates.none(),
                    ValidationLimits.defaults(),
                    50,
                    1000,
                    10,
                    1000,
                    Duration.ofSeconds(20),
                    3600);
            Path ledgerFile = temp.resolve("restart.ledger");
            AsyncLedger ledger = AsyncLedger.create(ledgerFile);
            FleetRunner runner = new FleetRunner(settings, fleet, manifest, ledger);
            runner.start();
            FleetStats stats = runner.stats();
            Awaitility.await("100 acks within 30 s")
                    .atMost(Duration.ofSeconds(30))
                    .pollInterval(Duration.ofMillis(20))
                    .until(() -> stats.acked.sum() >= 100);
            broker.restart();
            assertThat(runner.awaitEnd()).isTrue();
            runner.finish(settings.drainTimeout());
            ledger.close();

            assertThat(stats.reconnects.sum()).isGreaterThanOrEqualTo(10);
            assertThat(stats.dropped.sum()).isZero();
            List<LedgerEntry> entries = FleetFixture.readLedger(ledgerFile, true);
            assertThat(entries).hasSize(600);
            assertThat(entries).allMatch(LedgerEntry::acked);
            assertThat(entries.stream()
                            .map(e -> e.deviceId() + "/" + e.seq())
                            .distinct()
                            .count())
                    .isEqualTo(600);
        }
    }
}
