package io.github.iottelemetry.localcloud;

import java.net.URI;
import java.time.Duration;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.awscore.client.builder.AwsSyncClientBuilder;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;

/** SDK v2 clients configured for the local engines: endpoint, region, dummy credentials and the engines' quirks. */
public final class AwsClients {

    /** The SDK v2 switch for Kinesis CBOR; kinesalite mangles large CBOR requests, kinesis-mock works either way. */
    public static final String CBOR_PROPERTY = "aws.cborEnabled";

    private AwsClients() {}

    /**
     * Turns Kinesis CBOR off for this JVM. The SDK reads the property when a Kinesis client is built, so it
     * must be set before the first one; it is harmless for kinesis-mock and real Kinesis.
     */
    public static void disableKinesisCbor() {
        System.setProperty(CBOR_PROPERTY, "false");
    }

    public static KinesisClient kinesis(LocalCloudEndpoints endpoints) {
        disableKinesisCbor();
        return local(KinesisClient.builder(), endpoints.kinesis(), endpoints).build();
    }

    public static DynamoDbClient dynamoDb(LocalCloudEndpoints endpoints) {
        return local(DynamoDbClient.builder(), endpoints.dynamoDb(), endpoints).build();
    }

    public static S3Client s3(LocalCloudEndpoints endpoints) {
        return local(S3Client.builder(), endpoints.s3(), endpoints)
                .forcePathStyle(true)
                // Whole bodies, not aws-chunked: a conditional put the local S3 refuses (412) before reading the
                // body would otherwise reach the client as a broken pipe (the processor's lake client does the same).
                .serviceConfiguration(
                        S3Configuration.builder().chunkedEncodingEnabled(false).build())
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
                .build();
    }

    private static <B extends AwsClientBuilder<B, ?> & AwsSyncClientBuilder<B, ?>> B local(
            B builder, URI endpoint, LocalCloudEndpoints endpoints) {
        return builder.endpointOverride(endpoint)
                .region(Region.of(endpoints.region()))
                .credentialsProvider(credentials())
                .httpClient(httpClient());
    }

    private static StaticCredentialsProvider credentials() {
        return StaticCredentialsProvider.create(
                AwsBasicCredentials.create(LocalCloudEndpoints.ACCESS_KEY_ID, LocalCloudEndpoints.SECRET_ACCESS_KEY));
    }

    private static SdkHttpClient httpClient() {
        return ApacheHttpClient.builder()
                .maxConnections(64)
                .connectionTimeout(Duration.ofSeconds(2))
                .socketTimeout(Duration.ofSeconds(60))
                .build();
    }
}
