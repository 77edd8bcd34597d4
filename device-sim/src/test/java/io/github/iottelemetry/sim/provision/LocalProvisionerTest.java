package io.github.iottelemetry.sim.provision;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.iottelemetry.localca.LocalCertificateAuthority;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalProvisionerTest {

    @TempDir
    Path temp;

    @Test
    void issuesOneCertificatePerThingWithTheThingNameAsCnAndInThePaths() throws Exception {
        LocalCertificateAuthority ca = LocalCertificateAuthority.openOrCreate(temp.resolve("ca"));
        Path fleet = temp.resolve("fleet");

        LocalProvisioner.Result result =
                new LocalProvisioner(ca).provision(fleet, ThingNames.of("sim-", 3), "127.0.0.1:8883");

        assertThat(result.issued()).isEqualTo(3);
        FleetManifest manifest = FleetManifest.read(fleet);
        assertThat(manifest.mode()).isEqualTo("local");
        assertThat(manifest.endpoint()).isEqualTo("127.0.0.1:8883");
        assertThat(manifest.caFile()).isEqualTo(ca.certificateFile().toString());
        assertThat(manifest.devices())
                .extracting(FleetDevice::thing)
                .containsExactly("sim-000001", "sim-000002", "sim-000003");
        for (FleetDevice device : manifest.devices()) {
            assertThat(device.certificateFile()).contains(device.thing());
            assertThat(device.privateKeyFile()).contains(device.thing());
            X509Certificate certificate;
            try (InputStream in = Files.newInputStream(FleetManifest.resolve(fleet, device.certificateFile()))) {
                certificate = (X509Certificate)
                        CertificateFactory.getInstance("X.509").generateCertificate(in);
            }
            assertThat(LocalCertificateAuthority.thingName(certificate)).isEqualTo(device.thing());
            assertThat(ca.issued(certificate)).isTrue();
        }
    }

    @Test
    void provisioningAgainKeepsExistingCertificatesAndAddsOnlyNewDevices() {
        LocalCertificateAuthority ca = LocalCertificateAuthority.openOrCreate(temp.resolve("ca"));
        Path fleet = temp.resolve("fleet");
        LocalProvisioner provisioner = new LocalProvisioner(ca);
        provisioner.provision(fleet, ThingNames.of("sim-", 2), null);
        String before = FleetManifest.read(fleet).devices().get(0).certificateFile();

        LocalProvisioner.Result again = provisioner.provision(fleet, ThingNames.of("sim-", 4), null);

        assertThat(again.issued()).isEqualTo(2);
        assertThat(again.manifest().devices()).hasSize(4);
        assertThat(again.manifest().devices().get(0).certificateFile()).isEqualTo(before);
    }

    @Test
    void aPrefixThatMakesAnInvalidThingNameIsRefusedWithTheName() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> ThingNames.of("sim/", 1))
                .hasMessageContaining("sim/000001");
    }
}
