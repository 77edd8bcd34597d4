package io.github.iottelemetry.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.ClientContext;
import com.amazonaws.services.lambda.runtime.CognitoIdentity;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.LambdaLogger;
import com.amazonaws.services.lambda.runtime.events.KinesisEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;
import io.github.iottelemetry.localcloud.LocalCloud;
import io.github.iottelemetry.localcloud.LocalCloudExtension;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The handler as Lambda runs it: built from the function's environment, fed an event deserialized
 * the way the Java runtime does from the JSON shape Lambda sends for Kinesis.
 */
@ExtendWith(LocalCloudExtension.class)
class IngestHandlerIT {

    @Test
    void handlesALambdaShapedKinesisEvent(LocalCloud cloud) throws IOException {
        Map<String, String> env = new HashMap<>(cloud.environment());
        env.put("POWERTOOLS_SERVICE_NAME", "ingest");
        env.put("POWERTOOLS_METRICS_NAMESPACE", "IotTelemetry");
        IngestHandler handler = new IngestHandler(env);

        String event;
        try (InputStream in = getClass().getResourceAsStream("/kinesis-event.json")) {
            event = new String(in.readAllBytes(), StandardCharsets.UTF_8)
                    .replace("${VALID}", base64(Records.telemetry("handler-1", "handler-1", 42, 20)))
                    .replace("${SPOOFED}", base64(Records.telemetry("handler-2", "handler-1", 1, 20)));
        }
        KinesisEvent kinesisEvent = LambdaEventSerializers.serializerFor(
                        KinesisEvent.class, getClass().getClassLoader())
                .fromJson(new ByteArrayInputStream(event.getBytes(StandardCharsets.UTF_8)));

        StreamsEventResponse response = handler.handleRequest(kinesisEvent, new TestContext());

        assertThat(response.getBatchItemFailures()).isEmpty();
        var item = cloud.dynamoDb()
                .getItem(b -> b.tableName(env.get("DEVICE_STATE_TABLE"))
                        .key(Map.of(
                                "deviceId",
                                software.amazon.awssdk.services.dynamodb.model.AttributeValue.fromS("handler-1"))))
                .item();
        assertThat(item.get("lastSeq").n()).isEqualTo("42");
        assertThat(cloud.s3()
                        .listObjectsV2(b -> b.bucket(env.get("LAKE_BUCKET")).prefix("quarantine/"))
                        .contents())
                .anySatisfy(o -> assertThat(o.key())
                        .contains("reason=IDENTITY_MISMATCH/shardId-000000000006-"
                                + "49590338271490256608559692540925702759324208523137515618"));
    }

    private static String base64(byte[] b) {
        return Base64.getEncoder().encodeToString(b);
    }

    /** The invocation context Lambda passes; only what the handler and Powertools read. */
    private static final class TestContext implements Context {
        public String getAwsRequestId() {
            return "c6af9ac6-7b61-11e6-9a41-93e812345678";
        }

        public String getLogGroupName() {
            return "/aws/lambda/ingest";
        }

        public String getLogStreamName() {
            return "2026/11/23/[$LATEST]test";
        }

        public String getFunctionName() {
            return "iot-telemetry-ingest";
        }

        public String getFunctionVersion() {
            return "$LATEST";
        }

        public String getInvokedFunctionArn() {
            return "arn:aws:lambda:us-east-1:123456789012:function:iot-telemetry-ingest";
        }

        public CognitoIdentity getIdentity() {
            return null;
        }

        public ClientContext getClientContext() {
            return null;
        }

        public int getRemainingTimeInMillis() {
            return 60_000;
        }

        public int getMemoryLimitInMB() {
            return 1769;
        }

        public LambdaLogger getLogger() {
            return new LambdaLogger() {
                public void log(String message) {
                    System.out.print(message);
                }

                public void log(byte[] message) {
                    System.out.print(new String(message, StandardCharsets.UTF_8));
                }
            };
        }
    }
}
