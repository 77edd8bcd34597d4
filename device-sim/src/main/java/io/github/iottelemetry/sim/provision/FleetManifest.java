package io.github.iottelemetry.sim.provision;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;

/**
 * {@code fleet.json}: where the devices connect and with which credentials. Written by {@code provision},
 * read by {@code run} and {@code deprovision}.
 *
 * @param mode {@code local} (certificates from the local cloud's CA) or {@code aws}
 * @param endpoint {@code host:port} of the MQTT broker; empty when not known at provisioning time (then {@code run}
 *     needs {@code --endpoint})
 * @param caFile the CA certificate (PEM) the devices trust, absolute or relative to the fleet folder; passed to every
 *     TLS context explicitly (the system trust store costs about 1 MB per context)
 * @param thingGroupCreated true when provisioning created the thing group (deprovision then deletes it)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record FleetManifest(
        int version,
        String mode,
        String endpoint,
        String caFile,
        String region,
        String policy,
        String thingGroup,
        boolean thingGroupCreated,
        List<FleetDevice> devices) {

    public static final String FILE_NAME = "fleet.json";
    public static final int VERSION = 1;
    public static final String MODE_LOCAL = "local";
    public static final String MODE_AWS = "aws";

    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    public FleetManifest {
        devices = List.copyOf(devices);
    }

    public FleetManifest withDevices(List<FleetDevice> newDevices) {
        return new FleetManifest(
                version, mode, endpoint, caFile, region, policy, thingGroup, thingGroupCreated, newDevices);
    }

    public static Path file(Path fleetFolder) {
        return fleetFolder.resolve(FILE_NAME);
    }

    public static boolean exists(Path fleetFolder) {
        return Files.isRegularFile(file(fleetFolder));
    }

    public static FleetManifest read(Path fleetFolder) {
        Path file = file(fleetFolder);
        try {
            FleetManifest manifest = JSON.readValue(file.toFile(), FleetManifest.class);
            if (manifest.version() != VERSION) {
                throw new IllegalArgumentException(file + ": manifest version " + manifest.version()
                        + " is not supported (expected " + VERSION + ")");
            }
            return manifest;
        } catch (NoSuchFileException | java.io.FileNotFoundException e) {
            throw new IllegalArgumentException(
                    "no fleet manifest " + file + ": run `provision --out " + fleetFolder + "` first");
        } catch (IOException e) {
            throw new IllegalArgumentException(file + " is not a readable fleet manifest: " + e.getMessage(), e);
        }
    }

    /** Written to a temporary file and moved into place, so a crash never leaves half a manifest. */
    public void write(Path fleetFolder) {
        Path file = file(fleetFolder);
        try {
            Files.createDirectories(fleetFolder);
            Path temporary = file.resolveSibling(FILE_NAME + ".tmp");
            JSON.writeValue(temporary.toFile(), this);
            Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the fleet manifest " + file, e);
        }
    }

    /** A path of the manifest, resolved against the fleet folder when relative. */
    public static Path resolve(Path fleetFolder, String path) {
        return fleetFolder.resolve(path).toAbsolutePath().normalize();
    }
}
