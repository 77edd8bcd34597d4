package io.github.iottelemetry.localiot.broker;

import com.hivemq.extension.sdk.api.client.parameter.ConnectionAttributeStore;
import io.github.iottelemetry.localiot.policy.DeviceAuthorization;
import java.util.Map;
import java.util.Optional;

/**
 * Who is on a connection, established once at connect and kept in the connection's attribute store so that
 * every later publish, subscribe and delivery check reads it without looking at the certificate again.
 */
record DeviceIdentity(String thingName, String clientId, String principal, Map<String, String> policyVariables) {

    private static final String THING_ATTRIBUTE = "local-iot.thing";
    private static final String PRINCIPAL_ATTRIBUTE = "local-iot.principal";

    static DeviceIdentity of(String thingName, String clientId, String principal) {
        return new DeviceIdentity(thingName, clientId, principal, DeviceAuthorization.variables(thingName, clientId));
    }

    void storeIn(ConnectionAttributeStore store) {
        store.putAsString(THING_ATTRIBUTE, thingName);
        store.putAsString(PRINCIPAL_ATTRIBUTE, principal);
    }

    /** Empty for a connection that never passed the authenticator (which HiveMQ does not let through). */
    static Optional<DeviceIdentity> readFrom(ConnectionAttributeStore store, String clientId) {
        Optional<String> thing = store.getAsString(THING_ATTRIBUTE);
        return thing.map(name ->
                of(name, clientId, store.getAsString(PRINCIPAL_ATTRIBUTE).orElse("")));
    }
}
