package io.github.iottelemetry.localiot.broker;

import java.lang.System.Logger.Level;

/** One line per refusal (connect, publish, subscribe, delivery), with the client and the policy's reason. */
final class SecurityLog {

    private static final System.Logger LOG = System.getLogger("io.github.iottelemetry.localiot.security");

    void refused(String what, String clientId, String reason) {
        LOG.log(Level.WARNING, () -> "refused " + what + " from client '" + clientId + "': " + reason);
    }
}
