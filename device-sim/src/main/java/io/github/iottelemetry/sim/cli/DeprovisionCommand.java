package io.github.iottelemetry.sim.cli;

import io.github.iottelemetry.sim.provision.AwsProvisioner;
import io.github.iottelemetry.sim.provision.FleetManifest;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import software.amazon.awssdk.services.iot.IotClient;

@Command(
        name = "deprovision",
        mixinStandardHelpOptions = true,
        description =
                "Removes from AWS IoT exactly what `provision --aws` created for the fleet (certificates, attachments, things"
                        + " and thing group it created), then the fleet's PEM files and manifest.")
final class DeprovisionCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--fleet", defaultValue = "fleet", description = "Fleet folder (default ${DEFAULT-VALUE}).")
    Path fleet;

    @CommandLine.Mixin
    AwsControlPlaneOptions awsOptions;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Path folder = fleet.toAbsolutePath().normalize();
        try {
            FleetManifest manifest = FleetManifest.read(folder);
            try (IotClient iot = awsOptions.client(manifest.region())) {
                AwsProvisioner.Result result = awsOptions.provisioner(iot).deprovision(folder);
                out.printf(
                        "Removed %d devices of %s from AWS IoT %s%n",
                        result.changedDevices(), folder, manifest.region());
                result.failures()
                        .forEach((cause, count) -> err.printf(
                                "deprovision: %d devices failed at %s (kept in the manifest;"
                                        + " run deprovision again)%n",
                                count, cause));
                return result.ok() ? 0 : 1;
            }
        } catch (IllegalArgumentException | IllegalStateException e) {
            err.println("deprovision: " + e.getMessage());
            return 1;
        }
    }
}
