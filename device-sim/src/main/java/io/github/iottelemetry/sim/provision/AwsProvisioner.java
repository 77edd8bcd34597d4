package io.github.iottelemetry.sim.provision;

import io.github.iottelemetry.sim.throttle.RateLimiter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Supplier;
import software.amazon.awssdk.services.iot.IotClient;
import software.amazon.awssdk.services.iot.model.CertificateStatus;
import software.amazon.awssdk.services.iot.model.CreateKeysAndCertificateResponse;
import software.amazon.awssdk.services.iot.model.IotException;
import software.amazon.awssdk.services.iot.model.ResourceNotFoundException;

/**
 * Provisions a fleet in AWS IoT: per device CreateThing, CreateKeysAndCertificate, AttachPolicy,
 * AttachThingPrincipal and thing-group membership, in parallel under a client-side TPS limit (the control
 * plane allows 10 to 15 TPS per API), with the SDK's standard retries for throttling on top.
 *
 * <p>Idempotent: re-running skips what the manifest records and the account still has. What this class
 * created is recorded in the manifest, device by device, even when a later step fails, so that
 * {@link #deprovision} removes exactly that and nothing that existed before.
 */
public final class AwsProvisioner {

    /** What one provisioning or deprovisioning run did. */
    public record Result(FleetManifest manifest, int changedDevices, Map<String, Integer> failures) {
        public boolean ok() {
            return failures.isEmpty();
        }
    }

    private final IotClient iot;
    private final RateLimiter tps;
    private final int parallelism;

    public AwsProvisioner(IotClient iot, double transactionsPerSecond, int parallelism) {
        this.iot = iot;
        this.tps = new RateLimiter(transactionsPerSecond);
        this.parallelism = parallelism;
    }

    public Result provision(
            Path fleetFolder, List<String> things, String region, String policy, String thingGroup, String caFile) {
        Map<String, FleetDevice> devices = new LinkedHashMap<>();
        boolean groupCreated = false;
        if (FleetManifest.exists(fleetFolder)) {
            FleetManifest existing = FleetManifest.read(fleetFolder);
            if (!FleetManifest.MODE_AWS.equals(existing.mode())) {
                throw new IllegalArgumentException(FleetManifest.file(fleetFolder) + " holds a " + existing.mode()
                        + " fleet: choose another --out folder for the AWS fleet");
            }
            existing.devices().forEach(device -> devices.put(device.thing(), device));
            groupCreated =
                    existing.thingGroupCreated() && thingGroup != null && thingGroup.equals(existing.thingGroup());
        }
        try {
            call(() -> iot.getPolicy(r -> r.policyName(policy)));
        } catch (ResourceNotFoundException e) {
            throw new IllegalArgumentException("IoT policy '" + policy + "' does not exist in " + region
                    + ": deploy the stack (its DevicePolicy is <stack>-device) or pass --policy NAME");
        }
        if (thingGroup != null && !groupCreated) {
            try {
                call(() -> iot.describeThingGroup(r -> r.thingGroupName(thingGroup)));
            } catch (ResourceNotFoundException e) {
                call(() -> iot.createThingGroup(r -> r.thingGroupName(thingGroup)));
                groupCreated = true;
            }
        }
        String endpoint = call(() -> iot.describeEndpoint(r -> r.endpointType("iot:Data-ATS")))
                        .endpointAddress() + ":8883";
        Path certs = fleetFolder.resolve("certs");
        Map<String, Integer> failures = new TreeMap<>();
        List<Future<DeviceOutcome>> outcomes = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(parallelism);
        try {
            for (String thing : things) {
                FleetDevice known = devices.get(thing);
                outcomes.add(pool.submit(() -> provisionDevice(fleetFolder, certs, thing, known, policy, thingGroup)));
            }
            int changed = 0;
            for (Future<DeviceOutcome> future : outcomes) {
                DeviceOutcome outcome = await(future);
                devices.put(outcome.device().thing(), outcome.device());
                if (outcome.changed()) {
                    changed++;
                }
                if (outcome.failure() != null) {
                    failures.merge(outcome.failure(), 1, Integer::sum);
                }
            }
            FleetManifest manifest = new FleetManifest(
                    FleetManifest.VERSION,
                    FleetManifest.MODE_AWS,
                    endpoint,
                    caFile,
                    region,
                    policy,
                    thingGroup,
                    groupCreated,
                    new ArrayList<>(devices.values()));
            manifest.write(fleetFolder);
            return new Result(manifest, changed, failures);
        } finally {
            pool.shutdownNow();
        }
    }

    /** Removes, in reverse order, exactly what the manifest says provisioning created; keeps the manifest of what is left. */
    public Result deprovision(Path fleetFolder) {
        FleetManifest manifest = FleetManifest.read(fleetFolder);
        if (!FleetManifest.MODE_AWS.equals(manifest.mode())) {
            throw new IllegalArgumentException(FleetManifest.file(fleetFolder) + " is a " + manifest.mode()
                    + " fleet: nothing to remove in AWS (delete the folder)");
        }
        Map<String, Integer> failures = new TreeMap<>();
        List<FleetDevice> remaining = new ArrayList<>();
        List<Future<DeviceOutcome>> outcomes = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(parallelism);
        int removed = 0;
        try {
            for (FleetDevice device : manifest.devices()) {
                outcomes.add(pool.submit(
                        () -> deprovisionDevice(fleetFolder, device, manifest.policy(), manifest.thingGroup())));
            }
            for (Future<DeviceOutcome> future : outcomes) {
                DeviceOutcome outcome = await(future);
                if (outcome.failure() != null) {
                    failures.merge(outcome.failure(), 1, Integer::sum);
                    remaining.add(outcome.device());
                } else {
                    removed++;
                }
            }
        } finally {
            pool.shutdownNow();
        }
        boolean groupStillOurs = manifest.thingGroupCreated();
        if (groupStillOurs && remaining.isEmpty()) {
            try {
                call(() -> iot.deleteThingGroup(r -> r.thingGroupName(manifest.thingGroup())));
                groupStillOurs = false;
            } catch (IotException e) {
                failures.merge("DeleteThingGroup " + manifest.thingGroup() + ": " + errorText(e), 1, Integer::sum);
            }
        }
        FleetManifest left = new FleetManifest(
                manifest.version(),
                manifest.mode(),
                manifest.endpoint(),
                manifest.caFile(),
                manifest.region(),
                manifest.policy(),
                manifest.thingGroup(),
                groupStillOurs,
                remaining);
        if (remaining.isEmpty() && !groupStillOurs) {
            try {
                Files.deleteIfExists(FleetManifest.file(fleetFolder));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot delete " + FleetManifest.file(fleetFolder), e);
            }
        } else {
            left.write(fleetFolder);
        }
        return new Result(left, removed, failures);
    }

    private record DeviceOutcome(FleetDevice device, boolean changed, String failure) {}

    private DeviceOutcome provisionDevice(
            Path fleetFolder, Path certs, String thing, FleetDevice known, String policy, String thingGroup) {
        boolean thingCreated = known != null && known.thingCreated();
        String certificateId = known == null ? null : known.certificateId();
        String certificateArn = known == null ? null : known.certificateArn();
        String certificateFile = known == null ? null : known.certificateFile();
        String keyFile = known == null ? null : known.privateKeyFile();
        boolean policyAttached = known != null && known.policyAttached();
        boolean principalAttached = known != null && known.principalAttached();
        boolean groupAdded = known != null && known.thingGroupAdded();
        boolean changed = false;
        String step = "DescribeThing";
        try {
            try {
                call(() -> iot.describeThing(r -> r.thingName(thing)));
            } catch (ResourceNotFoundException e) {
                step = "CreateThing";
                call(() -> iot.createThing(r -> r.thingName(thing)));
                thingCreated = true;
                changed = true;
            }
            if (certificateArn == null || !Files.isRegularFile(FleetManifest.resolve(fleetFolder, keyFile))) {
                step = "CreateKeysAndCertificate";
                CreateKeysAndCertificateResponse keys =
                        call(() -> iot.createKeysAndCertificate(r -> r.setAsActive(true)));
                certificateId = keys.certificateId();
                certificateArn = keys.certificateArn();
                policyAttached = false;
                principalAttached = false;
                Path certificate = certs.resolve(thing + ".cert.pem");
                Path key = certs.resolve(thing + ".key.pem");
                writePrivate(key, keys.keyPair().privateKey());
                writePrivate(certificate, keys.certificatePem());
                certificateFile = LocalProvisioner.relative(fleetFolder, certificate);
                keyFile = LocalProvisioner.relative(fleetFolder, key);
                changed = true;
            }
            String arn = certificateArn;
            if (!policyAttached) {
                step = "AttachPolicy";
                call(() -> iot.attachPolicy(r -> r.policyName(policy).target(arn)));
                policyAttached = true;
                changed = true;
            }
            if (!principalAttached) {
                step = "AttachThingPrincipal";
                call(() -> iot.attachThingPrincipal(r -> r.thingName(thing).principal(arn)));
                principalAttached = true;
                changed = true;
            }
            if (thingGroup != null && !groupAdded) {
                step = "AddThingToThingGroup";
                call(() -> iot.addThingToThingGroup(
                        r -> r.thingGroupName(thingGroup).thingName(thing)));
                groupAdded = true;
                changed = true;
            }
            return new DeviceOutcome(
                    new FleetDevice(
                            thing,
                            certificateFile,
                            keyFile,
                            certificateId,
                            certificateArn,
                            thingCreated,
                            policyAttached,
                            principalAttached,
                            groupAdded),
                    changed,
                    null);
        } catch (IotException | UncheckedIOException e) {
            return new DeviceOutcome(
                    new FleetDevice(
                            thing,
                            certificateFile,
                            keyFile,
                            certificateId,
                            certificateArn,
                            thingCreated,
                            policyAttached,
                            principalAttached,
                            groupAdded),
                    changed,
                    step + ": " + errorText(e));
        }
    }

    private DeviceOutcome deprovisionDevice(Path fleetFolder, FleetDevice device, String policy, String thingGroup) {
        FleetDevice state = device;
        String step = "";
        try {
            if (state.thingGroupAdded()) {
                step = "RemoveThingFromThingGroup";
                call(() -> iot.removeThingFromThingGroup(
                        r -> r.thingGroupName(thingGroup).thingName(device.thing())));
                state = new FleetDevice(
                        state.thing(),
                        state.certificateFile(),
                        state.privateKeyFile(),
                        state.certificateId(),
                        state.certificateArn(),
                        state.thingCreated(),
                        state.policyAttached(),
                        state.principalAttached(),
                        false);
            }
            if (state.principalAttached()) {
                step = "DetachThingPrincipal";
                call(() -> iot.detachThingPrincipal(
                        r -> r.thingName(device.thing()).principal(device.certificateArn())));
                state = new FleetDevice(
                        state.thing(),
                        state.certificateFile(),
                        state.privateKeyFile(),
                        state.certificateId(),
                        state.certificateArn(),
                        state.thingCreated(),
                        state.policyAttached(),
                        false,
                        false);
            }
            if (state.policyAttached()) {
                step = "DetachPolicy";
                call(() -> iot.detachPolicy(r -> r.policyName(policy).target(device.certificateArn())));
                state = new FleetDevice(
                        state.thing(),
                        state.certificateFile(),
                        state.privateKeyFile(),
                        state.certificateId(),
                        state.certificateArn(),
                        state.thingCreated(),
                        false,
                        false,
                        false);
            }
            if (state.certificateId() != null) {
                step = "UpdateCertificate INACTIVE";
                call(() -> iot.updateCertificate(
                        r -> r.certificateId(device.certificateId()).newStatus(CertificateStatus.INACTIVE)));
                step = "DeleteCertificate";
                call(() -> iot.deleteCertificate(r -> r.certificateId(device.certificateId())));
                state = new FleetDevice(
                        state.thing(),
                        state.certificateFile(),
                        state.privateKeyFile(),
                        null,
                        null,
                        state.thingCreated(),
                        false,
                        false,
                        false);
            }
            if (state.thingCreated()) {
                step = "DeleteThing";
                call(() -> iot.deleteThing(r -> r.thingName(device.thing())));
            }
            deleteIfPresent(fleetFolder, device.certificateFile());
            deleteIfPresent(fleetFolder, device.privateKeyFile());
            return new DeviceOutcome(state, true, null);
        } catch (IotException | UncheckedIOException e) {
            return new DeviceOutcome(state, true, step + ": " + errorText(e));
        }
    }

    private <T> T call(Supplier<T> request) {
        try {
            tps.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while provisioning", e);
        }
        return request.get();
    }

    private static DeviceOutcome await(Future<DeviceOutcome> future) {
        try {
            return future.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while provisioning", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("provisioning a device failed unexpectedly: " + e.getCause(), e.getCause());
        }
    }

    /** The error code and message, without the request id, so equal causes group together in the summary. */
    private static String errorText(Exception e) {
        if (e instanceof IotException iotError && iotError.awsErrorDetails() != null) {
            return iotError.awsErrorDetails().errorCode() + " ("
                    + iotError.awsErrorDetails().errorMessage() + ")";
        }
        return e.getMessage();
    }

    private static void writePrivate(Path file, String content) {
        try {
            Files.createDirectories(file.getParent());
            Path temporary = file.resolveSibling(file.getFileName() + ".tmp");
            Files.writeString(temporary, content, StandardCharsets.US_ASCII);
            if (temporary.getFileSystem().supportedFileAttributeViews().contains("posix")) {
                Files.setPosixFilePermissions(temporary, PosixFilePermissions.fromString("rw-------"));
            }
            Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    private static void deleteIfPresent(Path fleetFolder, String relative) {
        if (relative == null) {
            return;
        }
        try {
            Files.deleteIfExists(FleetManifest.resolve(fleetFolder, relative));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + relative + " in " + fleetFolder, e);
        }
    }
}
