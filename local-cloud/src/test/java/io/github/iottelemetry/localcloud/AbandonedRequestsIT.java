package io.github.iottelemetry.localcloud;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.iottelemetry.localcloud.kinesis.KinesisEngine;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A client that gives up in the middle of a request (an SDK call interrupted while the event source mapping or a
 * KCL worker shuts down) costs that request only, as on AWS: the engine serves the next one.
 */
class AbandonedRequestsIT {

    @RegisterExtension
    static final LocalCloudExtension CLOUD = LocalCloudExtension.withKinesisEngine(KinesisEngine.KINESALITE);

    @Test
    void kinesisServesOtherClientsAfterOneHangsUpMidRequest(LocalCloud cloud) throws Exception {
        for (int i = 0; i < 5; i++) {
            abandonRequest(cloud.endpoints().kinesis(), "Kinesis_20131202.PutRecord", "application/x-amz-json-1.1");
        }
        assertThat(cloud.kinesis().listStreams().streamNames())
                .contains(cloud.environment().get("STREAM_NAME"));
    }

    @Test
    void dynamoDbServesOtherClientsAfterOneHangsUpMidRequest(LocalCloud cloud) throws Exception {
        for (int i = 0; i < 5; i++) {
            abandonRequest(cloud.endpoints().dynamoDb(), "DynamoDB_20120810.PutItem", "application/x-amz-json-1.0");
            abandonRequest(
                    cloud.endpoints().dynamoDb(), "DynamoDB_20120810.UpdateTimeToLive", "application/x-amz-json-1.0");
        }
        assertThat(cloud.dynamoDb().listTables().tableNames())
                .contains(cloud.environment().get("DEVICE_STATE_TABLE"));
    }

    /** Announces a 10 KB body, sends 10 bytes of it, and closes the connection. */
    private static void abandonRequest(URI endpoint, String target, String contentType) throws Exception {
        try (Socket socket = new Socket(endpoint.getHost(), endpoint.getPort())) {
            OutputStream out = socket.getOutputStream();
            out.write(("POST / HTTP/1.1\r\nHost: " + endpoint.getHost() + ":" + endpoint.getPort() + "\r\n"
                            + "X-Amz-Target: " + target + "\r\nContent-Type: " + contentType + "\r\n"
                            + "Content-Length: 10240\r\n\r\n{\"Stream\":")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            Thread.sleep(50);
        }
        Thread.sleep(50);
    }
}
