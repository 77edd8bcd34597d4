package io.github.iottelemetry.localiot.actions;

import io.github.iottelemetry.iotrules.template.SubstitutionTemplate;
import java.util.concurrent.CompletableFuture;

/** Kinesis: the rule's output as one record, partition key from a substitution template, batched by {@link KinesisBatcher}. */
public final class KinesisAction implements RuleAction {

    private final String streamName;
    private final SubstitutionTemplate partitionKey;
    private final KinesisBatcher batcher;

    public KinesisAction(String streamName, SubstitutionTemplate partitionKey, KinesisBatcher batcher) {
        this.streamName = streamName;
        this.partitionKey = partitionKey;
        this.batcher = batcher;
    }

    @Override
    public String failedActionName() {
        return "KinesisAction";
    }

    @Override
    public CompletableFuture<Void> execute(RuleInvocation invocation, byte[] output) {
        String key = partitionKey.render(invocation.context());
        if (key.isEmpty()) {
            return CompletableFuture.failedFuture(new ActionFailure(
                    failedActionName(),
                    streamName,
                    "PartitionKey '" + partitionKey.template() + "' rendered empty for topic "
                            + invocation.topicSeenByRule(),
                    null));
        }
        return batcher.put(streamName, key, output)
                .exceptionallyCompose(error -> CompletableFuture.failedFuture(
                        new ActionFailure(failedActionName(), streamName, error.getMessage(), error)));
    }
}
