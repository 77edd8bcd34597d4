package io.github.iottelemetry.sim.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code pipeline sim}: provision a device fleet, run it, and remove what provisioning created in AWS. */
@Command(
        name = "sim",
        mixinStandardHelpOptions = true,
        description = "A device fleet on the AWS IoT Device SDK v2 with a ground-truth ledger.",
        subcommands = {ProvisionCommand.class, RunCommand.class, DeprovisionCommand.class})
public final class SimCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getErr());
    }

    public static CommandLine commandLine() {
        return new CommandLine(new SimCommand()).setCaseInsensitiveEnumValuesAllowed(true);
    }

    public static void main(String[] args) {
        int exitCode = commandLine().execute(args);
        System.exit(exitCode);
    }
}
