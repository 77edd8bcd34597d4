package io.github.iottelemetry.sim.provision;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.iot.IotClient;
import software.amazon.awssdk.services.iot.model.ResourceNotFoundException;

/** AWS-mode provisioning against moto_server (the IoT control plane), started on a free 127.0.0.1 port. */
class AwsProvisionerIT {

    private static final String POLICY = "iot-telemetry-test-device";
    private static Process moto;
    private static IotClient iot;

    @TempDir
    Path temp;

    @BeforeAll
    static void startMoto() throws Exception {
        String executable = onPath("moto_server");
        assumeTrue(
                executable != null, "moto_server is not installed on this machine: AWS-mode provisioning test skipped");
        int port;
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        moto = new ProcessBuilder(executable, "-H", "127.0.0.1", "-p", String.valueOf(port))
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
        int motoPort = port;
        Awaitility.await("moto_server listening on 127.0.0.1:" + port + " within 30 s")
                .atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(100))
                .failFast("moto_server exited", () -> !moto.isAlive())
                .until(() -> accepts(motoPort));
        iot = IotClient.builder()
                .endpointOverride(URI.create("http://127.0.0.1:" + port))
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("testing", "testing")))
                .httpClientBuilder(UrlConnectionHttpClient.builder())
                .build();
        iot.createPolicy(
                r -> r.policyName(POLICY)
                        .policyDocument(
                                "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"iot:Connect\",\"Resource\":\"*\"}]}"));
    }

    @AfterAll
    static void stopMoto() throws InterruptedException {
        if (iot != null) {
            iot.close();
        }
        if (moto != null) {
            moto.destroy();
            if (!moto.waitFor(10, TimeUnit.SECONDS)) {
                moto.destroyForcibly();
            }
        }
    }

    @Test
    void provisionIsIdempotentAndDeprovisionRemovesExactlyWhatItCreated() {
        iot.createThing(r -> r.thingName("aws-000001")); // existed before: must survive deprovision
        Path fleet = temp.resolve("fleet");
        AwsProvisioner provisioner = new AwsProvisioner(iot, 200, 4);

        AwsProvisioner.Result first =
                provisioner.provision(fleet, ThingNames.of("aws-", 5), "us-east-1", POLICY, "sim-fleet", null);

        assertThat(first.failures()).isEmpty();
        assertThat(first.changedDevices()).isEqualTo(5);
        FleetManifest manifest = FleetManifest.read(fleet);
        assertThat(manifest.mode()).isEqualTo("aws");
        assertThat(manifest.endpoint()).endsWith(":8883");
        assertThat(manifest.thingGroupCreated()).isTrue();
        assertThat(manifest.devices()).filteredOn(FleetDevice::thingCreated).hasSize(4);
        for (FleetDevice device : manifest.devices()) {
            assertThat(Files.isRegularFile(FleetManifest.resolve(fleet, device.certificateFile())))
                    .isTrue();
            assertThat(device.privateKeyFile()).contains(device.thing());
            assertThat(iot.listThingPrincipals(r -> r.thingName(device.thing())).principals())
                    .containsExactly(device.certificateArn());
            assertThat(iot.listAttachedPolicies(r -> r.target(device.certificateArn()))
                            .policies())
                    .anySatisfy(p -> assertThat(p.policyName()).isEqualTo(POLICY));
        }
        assertThat(iot.listThingsInThingGroup(r -> r.thingGroupName("sim-fleet"))
                        .things())
                .hasSize(5);

        AwsProvisioner.Result second =
                provisioner.provision(fleet, ThingNames.of("aws-", 5), "us-east-1", POLICY, "sim-fleet", null);
        assertThat(second.changedDevices()).isZero();
        assertThat(second.manifest().devices())
                .extracting(FleetDevice::certificateId)
                .containsExactlyElementsOf(manifest.devices().stream()
                        .map(FleetDevice::certificateId)
                        .toList());
        assertThat(iot.listCertificates(r -> r.pageSize(100)).certificates()).hasSize(5);

        AwsProvisioner.Result removed = provisioner.deprovision(fleet);

        assertThat(removed.failures()).isEmpty();
        assertThat(removed.changedDevices()).isEqualTo(5);
        assertThat(iot.listThings(r -> r.maxResults(100)).things())
                .extracting(t -> t.thingName())
                .containsExactly("aws-000001");
        assertThat(iot.listCertificates(r -> r.pageSize(100)).certificates()).isEmpty();
        org.assertj.core.api.Assertions.assertThatThrownBy(
                        () -> iot.describeThingGroup(r -> r.thingGroupName("sim-fleet")))
                .isInstanceOf(ResourceNotFoundException.class);
        assertThat(FleetManifest.exists(fleet)).isFalse();
        assertThat(fleet.resolve("certs")).isEmptyDirectory();
    }

    @Test
    void aMissingPolicyIsReportedByNameBeforeAnythingIsCreated() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new AwsProvisioner(iot, 200, 2)
                        .provision(
                                temp.resolve("other"),
                                ThingNames.of("none-", 2),
                                "us-east-1",
                                "no-such-policy",
                                null,
                                null))
                .hasMessageContaining("IoT policy 'no-such-policy' does not exist");
        assertThat(iot.listThings(r -> r.maxResults(100)).things())
                .noneMatch(t -> t.thingName().startsWith("none-"));
    }

    private static String onPath(String name) {
        for (String folder : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            Path candidate = Path.of(folder, name);
            if (Files.isExecutable(candidate)) {
                return candidate.toString();
            }
        }
        return null;
    }

    private static boolean accepts(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
