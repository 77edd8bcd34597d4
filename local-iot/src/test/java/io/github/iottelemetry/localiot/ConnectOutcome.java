package io.github.iottelemetry.localiot;

import java.util.concurrent.CompletableFuture;
import software.amazon.awssdk.crt.mqtt5.Mqtt5Client;
import software.amazon.awssdk.crt.mqtt5.Mqtt5ClientOptions;
import software.amazon.awssdk.crt.mqtt5.OnAttemptingConnectReturn;
import software.amazon.awssdk.crt.mqtt5.OnConnectionFailureReturn;
import software.amazon.awssdk.crt.mqtt5.OnConnectionSuccessReturn;
import software.amazon.awssdk.crt.mqtt5.OnDisconnectionReturn;
import software.amazon.awssdk.crt.mqtt5.OnStoppedReturn;

/** (Shared with other modules' tests through local-iot's test jar.) MQTT 5 client lifecycle events that complete a future with the first connect's outcome: true connected, false refused. */
public final class ConnectOutcome {
    private ConnectOutcome() {}

    public static Mqtt5ClientOptions.LifecycleEvents completing(CompletableFuture<Boolean> outcome) {
        return new Mqtt5ClientOptions.LifecycleEvents() {
            @Override
            public void onAttemptingConnect(Mqtt5Client client, OnAttemptingConnectReturn result) {}

            @Override
            public void onConnectionSuccess(Mqtt5Client client, OnConnectionSuccessReturn result) {
                outcome.complete(true);
            }

            @Override
            public void onConnectionFailure(Mqtt5Client client, OnConnectionFailureReturn result) {
                outcome.complete(false);
            }

            @Override
            public void onDisconnection(Mqtt5Client client, OnDisconnectionReturn result) {}

            @Override
            public void onStopped(Mqtt5Client client, OnStoppedReturn result) {}
        };
    }
}
