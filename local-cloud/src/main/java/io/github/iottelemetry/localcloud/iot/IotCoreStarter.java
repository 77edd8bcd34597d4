package io.github.iottelemetry.localcloud.iot;

/**
 * Starts IoT Core for a local cloud. Module local-iot implements it ({@code LocalIotCore::start}); whoever starts a
 * local cloud with IoT (the {@code up} command, the demo, a test) depends on local-iot and passes it in
 * {@link IotSettings}, so the local cloud itself needs no IoT Core at build time.
 */
@FunctionalInterface
public interface IotCoreStarter {

    /**
     * @throws IllegalArgumentException when a policy or rule of the template cannot run (the message names it)
     */
    IotCore start(IotStartRequest request);
}
