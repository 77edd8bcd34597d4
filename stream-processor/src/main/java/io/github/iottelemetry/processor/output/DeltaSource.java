package io.github.iottelemetry.processor.output;

import io.github.iottelemetry.core.aggregate.MetricAggregate;
import io.github.iottelemetry.core.aggregate.SeqSet;
import io.github.iottelemetry.core.aggregate.WindowKey;

/**
 * Rebuilds one metric of one window from the messages a worker holds, leaving out the given seqs: the
 * exact delta when a stored aggregate holds some but not all of the worker's messages (after a replay).
 */
@FunctionalInterface
public interface DeltaSource {
    MetricAggregate deltaExcluding(WindowKey window, String metric, SeqSet exclude);
}
