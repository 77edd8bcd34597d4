package io.github.iottelemetry.sim.provision;

import io.github.iottelemetry.localca.DeviceCredentials;
import io.github.iottelemetry.localca.LocalCertificateAuthority;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Issues device certificates (CN = thing name, EC P-256, PKCS#8 keys) from the local cloud's CA into
 * {@code <fleet>/certs/<thing>.cert.pem} and {@code .key.pem}. Idempotent: a device whose certificate and key
 * are already in the folder keeps them.
 */
public final class LocalProvisioner {

    private final LocalCertificateAuthority ca;

    public LocalProvisioner(LocalCertificateAuthority ca) {
        this.ca = ca;
    }

    /** The result: the manifest and how many certificates were newly issued. */
    public record Result(FleetManifest manifest, int issued) {}

    public Result provision(Path fleetFolder, List<String> things, String endpoint) {
        Path certs = fleetFolder.resolve("certs");
        Map<String, FleetDevice> devices = new LinkedHashMap<>();
        if (FleetManifest.exists(fleetFolder)) {
            FleetManifest existing = FleetManifest.read(fleetFolder);
            if (!FleetManifest.MODE_LOCAL.equals(existing.mode())) {
                throw new IllegalArgumentException(FleetManifest.file(fleetFolder) + " holds an " + existing.mode()
                        + " fleet: deprovision it or choose another --out folder");
            }
            existing.devices().forEach(device -> devices.put(device.thing(), device));
        }
        int issued = 0;
        for (String thing : things) {
            FleetDevice known = devices.get(thing);
            if (known != null
                    && Files.isRegularFile(FleetManifest.resolve(fleetFolder, known.certificateFile()))
                    && Files.isRegularFile(FleetManifest.resolve(fleetFolder, known.privateKeyFile()))) {
                continue;
            }
            DeviceCredentials credentials = ca.issueDeviceCertificate(thing, certs);
            devices.put(
                    thing,
                    FleetDevice.local(
                            thing,
                            relative(fleetFolder, credentials.certificateFile()),
                            relative(fleetFolder, credentials.privateKeyFile())));
            issued++;
        }
        FleetManifest manifest = new FleetManifest(
                FleetManifest.VERSION,
                FleetManifest.MODE_LOCAL,
                endpoint,
                ca.certificateFile().toAbsolutePath().toString(),
                null,
                null,
                null,
                false,
                new ArrayList<>(devices.values()));
        manifest.write(fleetFolder);
        return new Result(manifest, issued);
    }

    static String relative(Path fleetFolder, Path file) {
        return fleetFolder
                .toAbsolutePath()
                .normalize()
                .relativize(file.toAbsolutePath().normalize())
                .toString();
    }
}
