package io.github.iottelemetry.sim.fleet;

import io.github.iottelemetry.core.ledger.LedgerEntry;
import io.github.iottelemetry.core.ledger.LedgerReader;
import io.github.iottelemetry.localca.LocalCertificateAuthority;
import io.github.iottelemetry.sim.cli.SimCommand;
import io.github.iottelemetry.sim.provision.LocalProvisioner;
import io.github.iottelemetry.sim.provision.ThingNames;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine;

/** Provisioning and running fleets against a {@link LocalBroker} the way a user does, through the command line. */
final class FleetFixture {

    private FleetFixture() {}

    static Path provision(LocalBroker broker, Path fleet, String prefix, int devices) {
        new LocalProvisioner(LocalCertificateAuthority.openOrCreate(broker.caFolder()))
                .provision(fleet, ThingNames.of(prefix, devices), broker.endpoint());
        return fleet;
    }

    /** The outcome of one {@code sim} command run in this JVM. */
    record Outcome(int exitCode, String out, String err) {}

    static Outcome sim(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = SimCommand.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        int code = cli.execute(args);
        return new Outcome(code, out.toString(), err.toString());
    }

    static List<LedgerEntry> readLedger(Path file, boolean mustBeComplete) throws Exception {
        List<LedgerEntry> entries = new ArrayList<>();
        try (LedgerReader reader = LedgerReader.open(file)) {
            reader.forEachRemaining(entries::add);
            if (mustBeComplete && !reader.complete()) {
                throw new AssertionError("ledger " + file + " has no END record: the writer did not close it");
            }
        }
        return entries;
    }
}
