package io.github.iottelemetry.localiot.actions;

import java.util.concurrent.CompletableFuture;

/**
 * One action of a TopicRule. It completes when the target has the data, or exceptionally with an
 * {@link ActionFailure} that says what failed where, which goes into the error action's payload.
 */
public interface RuleAction {

    /** The name IoT Core puts in {@code failures[].failedAction}, such as {@code KinesisAction}. */
    String failedActionName();

    CompletableFuture<Void> execute(RuleInvocation invocation, byte[] output);
}
