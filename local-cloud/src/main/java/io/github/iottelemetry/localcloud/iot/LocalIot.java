package io.github.iottelemetry.localcloud.iot;

import io.github.iottelemetry.localcloud.LocalCloudEndpoints;
import io.github.iottelemetry.localcloud.process.EngineStartException;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.net.URI;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * IoT Core (module local-iot: local CA, MQTT broker with the template's policies, TopicRules) run by
 * the local cloud. local-iot is found by class name on the classpath instead of being a build
 * dependency, because local-iot's own tests depend on local-cloud and Maven allows no cycle; the
 * launcher puts both modules on `pipeline up`'s classpath, and a test module that wants IoT adds
 * local-iot as a test dependency. The handful of calls below is local-iot's public API
 * ({@code LocalIotCore}, {@code LocalIotOptions}, {@code LocalCertificateAuthority}).
 */
public final class LocalIot implements AutoCloseable {

    static final String CORE_CLASS = "io.github.iottelemetry.localiot.LocalIotCore";
    static final String OPTIONS_CLASS = "io.github.iottelemetry.localiot.LocalIotOptions";
    static final String CA_CLASS = "io.github.iottelemetry.localiot.ca.LocalCertificateAuthority";

    private final Object core;

    private LocalIot(Object core) {
        this.core = core;
    }

    /** Whether module local-iot is on this JVM's classpath. */
    public static boolean available() {
        return load(CORE_CLASS) != null;
    }

    /**
     * Starts IoT Core against the running engines; the template, stack name and parameters must be those
     * the engines were provisioned with, so the rules find the same stream and bucket.
     *
     * @throws EngineStartException when local-iot is missing, the MQTT port is taken, or a policy or rule of
     *     the template cannot run (the message names the resource and the position)
     */
    public static LocalIot start(IotSettings settings, Path stateDirectory, Path template, String stackName,
                                 Map<String, String> parameterValues, LocalCloudEndpoints endpoints) {
        Class<?> optionsClass = require(OPTIONS_CLASS);
        if (settings.mqttPort() != 0) {
            settings.portAssignment().requireFree();
        }
        Object options = invoke(null, method(optionsClass, "of", Path.class, Path.class, String.class, Map.class, URI.class,
                        URI.class, String.class, String.class, String.class),
                stateDirectory, template, stackName, parameterValues, endpoints.kinesis(), endpoints.s3(), endpoints.region(),
                LocalCloudEndpoints.ACCESS_KEY_ID, LocalCloudEndpoints.SECRET_ACCESS_KEY);
        options = invoke(options, method(optionsClass, "withMqttPort", int.class), settings.mqttPort());
        options = invoke(options, method(optionsClass, "withInsecurePlainTcp", boolean.class), settings.insecurePlainTcp());
        try {
            return new LocalIot(invoke(null, method(require(CORE_CLASS), "start", optionsClass), options));
        } catch (IllegalArgumentException | IllegalStateException e) {
            throw new EngineStartException("IoT Core: " + e.getMessage(), e);
        }
    }

    /** {@code IOT_ENDPOINT} (127.0.0.1:port), {@code IOT_CA_FILE}, and {@code IOT_INSECURE_PLAIN_TCP} without TLS. */
    @SuppressWarnings("unchecked")
    public Map<String, String> environment() {
        return new LinkedHashMap<>((Map<String, String>) call("environment"));
    }

    public String endpoint() {
        return (String) call("endpoint");
    }

    public int port() {
        return (Integer) call("port");
    }

    public boolean tls() {
        return (Boolean) call("tls");
    }

    public Path caCertificateFile() {
        return (Path) call("caCertificateFile");
    }

    /** The {@code LocalIotCore} itself, for callers that have local-iot on their compile classpath. */
    public Object core() {
        return core;
    }

    /**
     * Revokes a device certificate issued by the CA in {@code stateDirectory}: the broker refuses it from
     * the device's next connect on (it re-reads the revocation list when it changes), also when the broker
     * runs in another process.
     *
     * @return the certificate's thing name
     */
    public static String revoke(Path stateDirectory, Path certificateFile) {
        Class<?> caClass = require(CA_CLASS);
        Path caFolder = stateDirectory.resolve("iot").resolve("ca");
        Object ca = invoke(null, method(caClass, "openOrCreate", Path.class), caFolder);
        Object credentials = invoke(ca, method(caClass, "revoke", Path.class), certificateFile);
        return (String) invoke(credentials, method(credentials.getClass(), "thingName"));
    }

    /** Stops the broker, then flushes what the rules' Kinesis action still holds: before the engines stop. */
    @Override
    public void close() {
        call("close");
    }

    private Object call(String name) {
        return invoke(core, method(core.getClass(), name));
    }

    private static Class<?> load(String name) {
        try {
            return Class.forName(name, true, LocalIot.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            return null;
        }
    }

    private static Class<?> require(String name) {
        Class<?> type = load(name);
        if (type == null) {
            throw new EngineStartException("IoT Core needs module local-iot on the classpath (class " + name
                    + " not found): run through ./pipeline, or add io.github.iottelemetry:local-iot as a (test) dependency");
        }
        return type;
    }

    private static Method method(Class<?> type, String name, Class<?>... parameters) {
        try {
            return type.getMethod(name, parameters);
        } catch (NoSuchMethodException e) {
            throw new IllegalStateException("local-iot's API changed: " + type.getName() + "." + name + " is missing", e);
        }
    }

    private static Object invoke(Object target, Method method, Object... arguments) {
        try {
            return method.invoke(target, arguments);
        } catch (InvocationTargetException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            if (e.getCause() instanceof Error error) {
                throw error;
            }
            throw new IllegalStateException(method + " failed: " + e.getCause(), e.getCause());
        } catch (IllegalAccessException e) {
            throw new IllegalStateException("cannot call " + method, e);
        }
    }
}
