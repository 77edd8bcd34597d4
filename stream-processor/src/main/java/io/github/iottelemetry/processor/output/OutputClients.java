package io.github.iottelemetry.processor.output;

import io.github.iottelemetry.processor.output.dynamodb.AggregatesTableWriter;
import io.github.iottelemetry.processor.output.dynamodb.AggregatesTimeToLive;
import io.github.iottelemetry.processor.output.parquet.LakeAggregatesWriter;
import java.util.concurrent.ExecutorService;
import software.amazon.awssdk.enhanced.dynamodb.DynamoDbEnhancedClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;

/**
 * The SDK clients of the two outputs. Endpoints, region and credentials come from the SDK's own
 * environment ({@code AWS_ENDPOINT_URL_S3}, {@code AWS_REGION}, ...), so the same code runs on AWS and on
 * the local cloud; a custom S3 endpoint (a local engine) is addressed path-style.
 */
public final class OutputClients {
    private OutputClients() {}

    public static DynamoDbClient dynamoDb() {
        return DynamoDbClient.builder()
                .httpClientBuilder(UrlConnectionHttpClient.builder())
                .build();
    }

    /**
     * On a custom endpoint (a local engine over plain HTTP) also without aws-chunked bodies: over HTTP the SDK signs the
     * body chunk by chunk, and a conditional put that S3Proxy refuses before reading it (412) closes the connection
     * under the chunks still being sent, so the client sees a broken pipe instead of the 412. Over HTTPS (AWS) the SDK
     * does not sign chunks.
     */
    public static S3Client s3() {
        boolean localS3 = System.getenv("AWS_ENDPOINT_URL_S3") != null || System.getenv("AWS_ENDPOINT_URL") != null;
        return S3Client.builder()
                .httpClientBuilder(UrlConnectionHttpClient.builder())
                .forcePathStyle(localS3)
                .serviceConfiguration(S3Configuration.builder()
                        .chunkedEncodingEnabled(!localS3)
                        .build())
                .build();
    }

    /**
     * Both writers on these clients; {@code tableIo} runs the concurrent DynamoDB writes, {@code lakeIo} the lake's. Two
     * pools, so a lake object whose windows are in DynamoDB is written at once, not queued behind every other window's
     * DynamoDB write of the burst.
     */
    public static WindowOutput windowOutput(
            DynamoDbClient dynamo,
            S3Client s3,
            String aggregatesTable,
            String lakeBucket,
            ExecutorService tableIo,
            ExecutorService lakeIo,
            AggregatesTimeToLive aggregatesTimeToLive) {
        return new WindowOutput(
                new AggregatesTableWriter(
                        DynamoDbEnhancedClient.builder().dynamoDbClient(dynamo).build(),
                        aggregatesTable,
                        tableIo,
                        aggregatesTimeToLive),
                new LakeAggregatesWriter(s3, lakeBucket, lakeIo));
    }

    /** Threads of the lake's pool for {@code writeThreads} DynamoDB writers: a burst writes far fewer objects than items. */
    public static int lakeThreads(int writeThreads) {
        return Math.max(2, writeThreads / 2);
    }
}
