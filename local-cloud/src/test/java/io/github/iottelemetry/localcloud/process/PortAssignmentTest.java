package io.github.iottelemetry.localcloud.process;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import org.junit.jupiter.api.Test;

class PortAssignmentTest {

    @Test
    void takenPortFailsNamingPortServiceAndFlag() throws IOException {
        try (ServerSocket occupant = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            int port = occupant.getLocalPort();
            assertThatThrownBy(() -> new PortAssignment("DynamoDB (dynalite)", port, "--dynamodb-port").requireFree())
                    .isInstanceOf(EngineStartException.class)
                    .hasMessageStartingWith("port " + port + " for DynamoDB (dynalite) is already in use")
                    .hasMessageContaining("--dynamodb-port <port>");
        }
    }

    @Test
    void freePortPasses() {
        int port = PortAssignment.freePort();
        assertThatCode(() -> new PortAssignment("S3Proxy", port, "--s3-port").requireFree())
                .doesNotThrowAnyException();
    }
}
