package io.github.iottelemetry.localcloud;

import io.github.iottelemetry.localcloud.kinesis.KinesisEngine;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Where the running engines listen and how a client must talk to them. {@link #clientEnvironment()}
 * is the same information as environment variables, which every AWS SDK and the AWS CLI read.
 */
public record LocalCloudEndpoints(URI kinesis, URI dynamoDb, URI s3, String region, KinesisEngine kinesisEngine) {

    /** S3Proxy checks SigV4 signatures against this identity; the other engines accept any. */
    public static final String ACCESS_KEY_ID = "local";

    public static final String SECRET_ACCESS_KEY = "local-secret";

    public static LocalCloudEndpoints onLoopback(
            int kinesisPort, int dynamoDbPort, int s3Port, String region, KinesisEngine kinesisEngine) {
        return new LocalCloudEndpoints(
                URI.create("http://127.0.0.1:" + kinesisPort),
                URI.create("http://127.0.0.1:" + dynamoDbPort),
                URI.create("http://127.0.0.1:" + s3Port),
                region,
                kinesisEngine);
    }

    public LocalCloudEndpoints withDynamoDb(URI endpoint) {
        return new LocalCloudEndpoints(kinesis, endpoint, s3, region, kinesisEngine);
    }

    /** Endpoint, region, credential and client settings as environment variables, in a stable order. */
    public Map<String, String> clientEnvironment() {
        Map<String, String> environment = new LinkedHashMap<>();
        environment.put("AWS_ENDPOINT_URL_KINESIS", kinesis.toString());
        environment.put("AWS_ENDPOINT_URL_DYNAMODB", dynamoDb.toString());
        environment.put("AWS_ENDPOINT_URL_S3", s3.toString());
        environment.put("AWS_REGION", region);
        environment.put("AWS_DEFAULT_REGION", region);
        environment.put("AWS_ACCESS_KEY_ID", ACCESS_KEY_ID);
        environment.put("AWS_SECRET_ACCESS_KEY", SECRET_ACCESS_KEY);
        // S3Proxy rejects the SDKs' default request checksums (content-sha256 mismatch).
        environment.put("AWS_REQUEST_CHECKSUM_CALCULATION", "when_required");
        environment.put("AWS_RESPONSE_CHECKSUM_VALIDATION", "when_required");
        if (kinesisEngine.requiresCborOff()) {
            // Java SDK v2 reads CBOR only from this system property, not from an environment variable.
            environment.put("JAVA_TOOL_OPTIONS", "-D" + AwsClients.CBOR_PROPERTY + "=false");
        }
        return environment;
    }
}
