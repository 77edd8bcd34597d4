package io.github.iottelemetry.sim.cli;

import io.github.iottelemetry.sim.provision.AwsProvisioner;
import java.net.URI;
import picocli.CommandLine.Option;
import software.amazon.awssdk.services.iot.IotClient;

/** The AWS IoT control-plane options that provision and deprovision share. */
final class AwsControlPlaneOptions {

    @Option(
            names = "--aws-endpoint-url",
            description = "IoT control-plane endpoint override (also AWS_ENDPOINT_URL_IOT / AWS_ENDPOINT_URL).")
    URI endpointUrl;

    @Option(
            names = "--tps",
            defaultValue = "10",
            description = "AWS control-plane calls per second, all APIs together (default ${DEFAULT-VALUE}).")
    double tps;

    @Option(
            names = "--parallelism",
            defaultValue = "8",
            description = "Devices handled at the same time (default ${DEFAULT-VALUE}).")
    int parallelism;

    IotClient client(String region) {
        return AwsIot.client(region, endpointUrl);
    }

    AwsProvisioner provisioner(IotClient iot) {
        return new AwsProvisioner(iot, tps, parallelism);
    }
}
