package io.github.iottelemetry.localca;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalCertificateAuthorityTest {

    @TempDir
    Path folder;

    @Test
    void deviceCertificateNamesTheThingAndChainsToTheCaAcrossRestarts() throws Exception {
        LocalCertificateAuthority ca = LocalCertificateAuthority.openOrCreate(folder.resolve("ca"));
        DeviceCredentials device = ca.issueDeviceCertificate("sim-000042", folder.resolve("devices"));

        X509Certificate certificate = PemFiles.readCertificate(device.certificateFile());
        assertThat(LocalCertificateAuthority.thingName(certificate)).isEqualTo("sim-000042");
        assertThat(Files.readString(device.privateKeyFile())).startsWith("-----BEGIN PRIVATE KEY-----");
        assertThat(PemFiles.readPrivateKey(device.privateKeyFile()).getAlgorithm())
                .isEqualTo("EC");

        LocalCertificateAuthority reopened = LocalCertificateAuthority.openOrCreate(folder.resolve("ca"));
        assertThat(reopened.certificate()).isEqualTo(ca.certificate());
        assertThat(reopened.issued(certificate)).isTrue();

        LocalCertificateAuthority stranger = LocalCertificateAuthority.openOrCreate(folder.resolve("other-ca"));
        assertThat(stranger.issued(certificate)).isFalse();
    }

    @Test
    void revokedSerialsAccumulateInTheSignedCrlAndTheBrokerViewSeesThemWithoutRestart() {
        LocalCertificateAuthority ca = LocalCertificateAuthority.openOrCreate(folder);
        DeviceCredentials first = ca.issueDeviceCertificate("dev-1", folder.resolve("devices"));
        DeviceCredentials second = ca.issueDeviceCertificate("dev-2", folder.resolve("devices"));
        RevocationList brokerView = new RevocationList(ca);
        assertThat(brokerView.isRevoked(first.serialNumber())).isFalse();

        ca.revoke(first.certificateFile());
        LocalCertificateAuthority.openOrCreate(folder).revoke(second.serialNumber());

        assertThat(brokerView.isRevoked(first.serialNumber())).isTrue();
        assertThat(brokerView.isRevoked(second.serialNumber())).isTrue();
    }

    @Test
    void aCrlNotSignedByTheCaFailsClosed() throws Exception {
        LocalCertificateAuthority ca = LocalCertificateAuthority.openOrCreate(folder.resolve("ca"));
        LocalCertificateAuthority other = LocalCertificateAuthority.openOrCreate(folder.resolve("other"));
        Files.copy(
                other.revocationListFile(), ca.revocationListFile(), java.nio.file.StandardCopyOption.REPLACE_EXISTING);

        assertThatThrownBy(() -> new RevocationList(ca).isRevoked(java.math.BigInteger.ONE))
                .hasMessageContaining("not signed by the local CA");
    }

    @Test
    void refusesThingNamesOutsideTheContract() {
        LocalCertificateAuthority ca = LocalCertificateAuthority.openOrCreate(folder);
        assertThatThrownBy(() -> ca.issueDeviceCertificate("a/b", folder)).hasMessageContaining("'a/b' is not allowed");
    }
}
