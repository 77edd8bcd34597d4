package io.github.iottelemetry.localiot.policy;

/** The outcome of a {@link PolicyRequest}, with the reason a log line or a refusal can quote. */
public record PolicyDecision(boolean allowed, String reason) {

    static PolicyDecision allow(String policy, int statement) {
        return new PolicyDecision(true, "allowed by policy " + policy + " statement " + statement);
    }

    static PolicyDecision explicitDeny(String policy, int statement) {
        return new PolicyDecision(false, "explicitly denied by policy " + policy + " statement " + statement);
    }

    static PolicyDecision implicitDeny() {
        return new PolicyDecision(false, "no policy statement allows it");
    }
}
