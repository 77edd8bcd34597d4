package io.github.iottelemetry.processor.kcl;

import java.time.Duration;
import software.amazon.awssdk.services.kinesis.KinesisAsyncClient;
import software.amazon.kinesis.retrieval.RetrievalSpecificConfig;
import software.amazon.kinesis.retrieval.fanout.FanOutConfig;
import software.amazon.kinesis.retrieval.polling.PollingConfig;

/**
 * How records reach the worker. Polling (GetRecords, shared 2 MB/s per shard) works everywhere,
 * including the local Kinesis engines; enhanced fan-out (SubscribeToShard over HTTP/2, a dedicated
 * 2 MB/s per consumer, lower latency, billed per consumer-shard hour) only on AWS.
 */
public enum RetrievalMode {
    POLLING {
        @Override
        RetrievalSpecificConfig config(
                String stream, String applicationName, KinesisAsyncClient kinesis, Duration pollInterval) {
            return new PollingConfig(stream, kinesis).idleTimeBetweenReadsInMillis(pollInterval.toMillis());
        }
    },
    FANOUT {
        @Override
        RetrievalSpecificConfig config(
                String stream, String applicationName, KinesisAsyncClient kinesis, Duration pollInterval) {
            return new FanOutConfig(kinesis).streamName(stream).applicationName(applicationName);
        }
    };

    abstract RetrievalSpecificConfig config(
            String stream, String applicationName, KinesisAsyncClient kinesis, Duration pollInterval);
}
