package io.github.iottelemetry.sim.provision;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * One device of a fleet manifest. Paths are relative to the fleet folder, so the folder can be moved.
 * The AWS fields record what provisioning created, so that {@code deprovision} removes exactly that.
 *
 * @param thingCreated true when provisioning created the thing (an existing thing is left in place on deprovision)
 * @param certificateId the AWS certificate id ({@code null} for the local CA)
 * @param thingGroupAdded true when provisioning added the thing to the manifest's thing group
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record FleetDevice(
        String thing,
        String certificateFile,
        String privateKeyFile,
        String certificateId,
        String certificateArn,
        boolean thingCreated,
        boolean policyAttached,
        boolean principalAttached,
        boolean thingGroupAdded) {

    public static FleetDevice local(String thing, String certificateFile, String privateKeyFile) {
        return new FleetDevice(thing, certificateFile, privateKeyFile, null, null, false, false, false, false);
    }
}
