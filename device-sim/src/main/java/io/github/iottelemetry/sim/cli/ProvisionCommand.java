package io.github.iottelemetry.sim.cli;

import io.github.iottelemetry.localca.LocalCertificateAuthority;
import io.github.iottelemetry.sim.provision.AwsProvisioner;
import io.github.iottelemetry.sim.provision.LocalProvisioner;
import io.github.iottelemetry.sim.provision.ThingNames;
import io.github.iottelemetry.template.StackNames;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import software.amazon.awssdk.services.iot.IotClient;

@Command(
        name = "provision",
        mixinStandardHelpOptions = true,
        description = {
            "Creates device identities and writes the fleet manifest (fleet.json) and PEM files to --out.",
            "Local (default): certificates from the local cloud's CA (CN = thing name).",
            "--aws: things, certificates, policy and thing-group attachments in AWS IoT (idempotent; `deprovision` undoes)."
        })
final class ProvisionCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--devices", required = true, description = "Number of devices.")
    int devices;

    @Option(
            names = "--prefix",
            defaultValue = "sim-",
            description = "Thing name prefix (names are prefix + 6 digits; default ${DEFAULT-VALUE}).")
    String prefix;

    @Option(names = "--out", defaultValue = "fleet", description = "Fleet folder (default ${DEFAULT-VALUE}).")
    Path out;

    @Option(
            names = "--ca-dir",
            description = "Local CA folder (ca.pem, ca.key.pem); default .local-cloud/iot/ca of the project.")
    Path caFolder;

    @Option(
            names = "--endpoint",
            description = "host:port written to the manifest; local default: IOT_ENDPOINT of .local-cloud/env.")
    String endpoint;

    @Option(names = "--aws", description = "Provision in AWS IoT instead of the local CA.")
    boolean aws;

    @Option(names = "--region", description = "AWS region (default: the SDK's region chain).")
    String region;

    @Option(
            names = "--stack",
            defaultValue = StackNames.AWS_DEFAULT,
            description =
                    "--aws: the deployed stack whose DevicePolicy (<stack>-device) the certificates get (default ${DEFAULT-VALUE}).")
    String stack;

    @Option(names = "--policy", description = "--aws: IoT policy to attach instead of the stack's DevicePolicy.")
    String policy;

    @Option(names = "--thing-group", description = "Thing group to add the things to (created when missing).")
    String thingGroup;

    @Option(
            names = "--ca-file",
            description = "--aws: the Amazon root CA PEM the devices trust (default: the system trust store).")
    Path awsCaFile;

    @CommandLine.Mixin
    AwsControlPlaneOptions awsOptions;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        List<String> things;
        try {
            things = ThingNames.of(prefix, devices);
        } catch (IllegalArgumentException e) {
            err.println("provision: " + e.getMessage());
            return 2;
        }
        Path fleet = this.out.toAbsolutePath().normalize();
        try {
            if (!aws) {
                Path ca = caFolder != null ? caFolder : ProjectLocations.localCaFolder();
                String manifestEndpoint = endpoint != null
                        ? endpoint
                        : ProjectLocations.localCloudVariable("IOT_ENDPOINT").orElse(null);
                LocalProvisioner.Result result = new LocalProvisioner(LocalCertificateAuthority.openOrCreate(ca))
                        .provision(fleet, things, manifestEndpoint);
                out.printf(
                        "Provisioned %d devices (%d new certificates from the local CA in %s) into %s%n",
                        things.size(), result.issued(), ca, fleet);
                if (manifestEndpoint == null) {
                    out.println(
                            "No IOT_ENDPOINT known yet (the local IoT Core is not running): pass --endpoint host:port to `run`.");
                }
                return 0;
            }
            try (IotClient iot = awsOptions.client(region)) {
                String effectiveRegion =
                        iot.serviceClientConfiguration().region().id();
                AwsProvisioner.Result result = awsOptions
                        .provisioner(iot)
                        .provision(
                                fleet,
                                things,
                                effectiveRegion,
                                policy != null ? policy : StackNames.devicePolicy(stack),
                                thingGroup,
                                awsCaFile == null
                                        ? null
                                        : awsCaFile.toAbsolutePath().toString());
                out.printf(
                        "Provisioned %d devices in AWS IoT %s (%d changed) into %s, endpoint %s%n",
                        things.size(),
                        effectiveRegion,
                        result.changedDevices(),
                        fleet,
                        result.manifest().endpoint());
                result.failures()
                        .forEach((cause, count) -> err.printf("provision: %d devices failed at %s%n", count, cause));
                return result.ok() ? 0 : 1;
            }
        } catch (IllegalArgumentException | IllegalStateException e) {
            err.println("provision: " + e.getMessage());
            return 1;
        }
    }
}
