package io.github.iottelemetry.localcloud.lambda;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import software.amazon.awssdk.services.kinesis.model.Record;

/**
 * The local equivalent of the mapping's OnFailure destination (an SQS queue or SNS topic in the template): one
 * JSON line per discarded batch, shaped like the invocation record Lambda sends (requestContext,
 * responseContext, KinesisBatchInfo). The records themselves stay in the stream, as on AWS: read them with the
 * shard id and sequence range.
 */
final class OnFailureDestination {

    /** Why a batch was discarded: Lambda's {@code requestContext.condition} values. */
    enum Condition {
        RetryAttemptsExhausted,
        RecordAgeExceeded
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path file;
    private final String destinationArn;

    OnFailureDestination(Path file, String destinationArn) {
        this.file = file;
        this.destinationArn = destinationArn;
    }

    Path file() {
        return file;
    }

    synchronized void send(
            String functionArn,
            String streamArn,
            String shardId,
            List<Record> records,
            Condition condition,
            int invokeCount,
            String functionError) {
        ObjectNode line = JSON.createObjectNode();
        ObjectNode request = line.putObject("requestContext");
        request.put("requestId", UUID.randomUUID().toString());
        request.put("functionArn", functionArn);
        request.put("condition", condition.name());
        request.put("approximateInvokeCount", invokeCount);
        ObjectNode response = line.putObject("responseContext");
        response.put("statusCode", 200);
        response.put("executedVersion", "$LATEST");
        if (functionError != null) {
            response.put("functionError", functionError);
        }
        line.put("version", "1.0");
        line.put("timestamp", Instant.now().toString());
        ObjectNode batch = line.putObject("KinesisBatchInfo");
        batch.put("shardId", shardId);
        batch.put("startSequenceNumber", records.get(0).sequenceNumber());
        batch.put("endSequenceNumber", records.get(records.size() - 1).sequenceNumber());
        batch.put(
                "approximateArrivalOfFirstRecord",
                records.get(0).approximateArrivalTimestamp().toString());
        batch.put(
                "approximateArrivalOfLastRecord",
                records.get(records.size() - 1).approximateArrivalTimestamp().toString());
        batch.put("batchSize", records.size());
        batch.put("streamArn", streamArn);
        line.put("destination", destinationArn);
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(
                    file,
                    JSON.writeValueAsString(line) + "\n",
                    StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the on-failure record to " + file, e);
        }
    }
}
