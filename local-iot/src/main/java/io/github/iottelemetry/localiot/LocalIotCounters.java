package io.github.iottelemetry.localiot;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/**
 * What the local IoT Core did since start: connections and publishes accepted or refused by identity and
 * policy, rule matches, action outcomes. A refused or failed thing is always counted here as well as logged.
 */
public final class LocalIotCounters {

    public final LongAdder connectionsAccepted = new LongAdder();
    public final LongAdder connectionsRefused = new LongAdder();
    public final LongAdder publishesAccepted = new LongAdder();
    public final LongAdder publishesRefused = new LongAdder();
    public final LongAdder subscriptionsRefused = new LongAdder();
    public final LongAdder deliveriesRefused = new LongAdder();
    public final LongAdder ruleInvocations = new LongAdder();
    public final LongAdder ruleEvaluationErrors = new LongAdder();
    public final LongAdder actionsSucceeded = new LongAdder();
    public final LongAdder actionsFailed = new LongAdder();
    public final LongAdder errorActionsSucceeded = new LongAdder();
    /** Messages that neither an action nor the error action could take: written to the undeliverable log. */
    public final LongAdder undeliverable = new LongAdder();

    /** Authenticated MQTT connections open now, by client id (a session taken over counts once). */
    private final java.util.concurrent.ConcurrentHashMap<String, Integer> connections =
            new java.util.concurrent.ConcurrentHashMap<>();

    /** A client passed authentication and is connected. */
    public void connected(String clientId) {
        connections.merge(clientId, 1, Integer::sum);
    }

    /** An authenticated client's connection ended (any way but a failed authentication). */
    public void disconnected(String clientId) {
        connections.computeIfPresent(clientId, (id, open) -> open <= 1 ? null : open - 1);
    }

    /** Clients connected now. */
    public long connectedClients() {
        return connections.size();
    }

    /** The counters by name, in a stable order, for the CLI and tests. */
    public Map<String, Long> snapshot() {
        Map<String, Long> values = new LinkedHashMap<>();
        values.put("connectionsAccepted", connectionsAccepted.sum());
        values.put("connectionsRefused", connectionsRefused.sum());
        values.put("publishesAccepted", publishesAccepted.sum());
        values.put("publishesRefused", publishesRefused.sum());
        values.put("subscriptionsRefused", subscriptionsRefused.sum());
        values.put("deliveriesRefused", deliveriesRefused.sum());
        values.put("ruleInvocations", ruleInvocations.sum());
        values.put("ruleEvaluationErrors", ruleEvaluationErrors.sum());
        values.put("actionsSucceeded", actionsSucceeded.sum());
        values.put("actionsFailed", actionsFailed.sum());
        values.put("errorActionsSucceeded", errorActionsSucceeded.sum());
        values.put("undeliverable", undeliverable.sum());
        values.put("connected", connectedClients());
        return values;
    }

    @Override
    public String toString() {
        return snapshot().toString();
    }
}
