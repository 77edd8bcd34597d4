package io.github.iottelemetry.localcloud;

import io.github.iottelemetry.localcloud.iot.IotCoreStarter;
import io.github.iottelemetry.localcloud.iot.IotSettings;
import io.github.iottelemetry.localcloud.kinesis.KinesisEngine;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * JUnit 5 access to a local cloud: started once per test run and Kinesis engine, on free ports with
 * a fresh temporary state folder, the project's template.yaml provisioned. Test methods and
 * constructors receive it as a {@link LocalCloud} parameter; its clients are configured for it.
 *
 * <pre>
 * &#64;ExtendWith(LocalCloudExtension.class)            // kinesalite
 * class MyIT { &#64;Test void puts(LocalCloud cloud) { cloud.kinesis().putRecord(...); } }
 *
 * &#64;RegisterExtension                               // another engine or template
 * static LocalCloudExtension cloud = LocalCloudExtension.withKinesisEngine(KinesisEngine.KINESIS_MOCK);
 *
 * &#64;RegisterExtension                               // with IoT Core (needs local-iot as a test dependency)
 * static LocalCloudExtension cloud = new LocalCloudExtension().withIot(LocalIotCore::start);
 * </pre>
 *
 * IoT Core is opt-in: it costs a broker start, and only tests that connect devices need it.
 *
 * The template is {@code -Dlocalcloud.template=<file>} if set, else the nearest template.yaml in the
 * working directory or a parent (a module's tests run in the module folder, the template is at the root).
 */
public final class LocalCloudExtension implements ParameterResolver {

    public static final String TEMPLATE_PROPERTY = "localcloud.template";

    private final KinesisEngine engine;
    private final Optional<Path> template;
    private final IotCoreStarter iot;

    /** The kinesalite engine and the project's template, for {@code @ExtendWith}. */
    public LocalCloudExtension() {
        this(KinesisEngine.KINESALITE, Optional.empty(), null);
    }

    private LocalCloudExtension(KinesisEngine engine, Optional<Path> template, IotCoreStarter iot) {
        this.engine = engine;
        this.template = template;
        this.iot = iot;
    }

    public static LocalCloudExtension withKinesisEngine(KinesisEngine engine) {
        return new LocalCloudExtension(engine, Optional.empty(), null);
    }

    /** A local cloud provisioned from {@code templateFile} instead of the project's template. */
    public LocalCloudExtension withTemplate(Path templateFile) {
        return new LocalCloudExtension(
                engine, Optional.of(templateFile.toAbsolutePath().normalize()), iot);
    }

    /**
     * Also IoT Core (TLS, free port) by {@code starter} (local-iot's {@code LocalIotCore::start}): {@code cloud.iot()},
     * {@code IOT_ENDPOINT} in {@code cloud.environment()}.
     */
    public LocalCloudExtension withIot(IotCoreStarter starter) {
        return new LocalCloudExtension(engine, template, starter);
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == LocalCloud.class;
    }

    @Override
    public LocalCloud resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return cloud(context);
    }

    /** The shared local cloud for this extension's engine and template, started on first use. */
    public LocalCloud cloud(ExtensionContext context) {
        Path templateFile = template.orElseGet(LocalCloudExtension::projectTemplate);
        String key = LocalCloud.class.getName() + "/" + engine + "/" + templateFile + (iot != null ? "/iot" : "");
        ExtensionContext.Store store = context.getRoot().getStore(ExtensionContext.Namespace.GLOBAL);
        return store.getOrComputeIfAbsent(key, ignored -> start(templateFile), RunningCloud.class)
                .cloud();
    }

    private RunningCloud start(Path templateFile) {
        try {
            Path state = Files.createTempDirectory("local-cloud-test-" + engine.cliName());
            LocalCloudOptions options = LocalCloudOptions.defaults(templateFile.getParent())
                    .withStateDirectory(state, true)
                    .withKinesisEngine(engine)
                    .withTemplate(Optional.of(templateFile), Map.of())
                    .withFreePorts()
                    .withIot(iot != null ? IotSettings.on(0, false, iot) : IotSettings.OFF);
            return new RunningCloud(LocalCloud.start(options), state);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a state folder for the local cloud", e);
        }
    }

    /** The template tests provision: {@code -Dlocalcloud.template}, else the nearest template.yaml up from here. */
    public static Path projectTemplate() {
        String configured = System.getProperty(TEMPLATE_PROPERTY);
        if (configured != null) {
            return Path.of(configured).toAbsolutePath().normalize();
        }
        for (Path folder = Path.of("").toAbsolutePath(); folder != null; folder = folder.getParent()) {
            Path candidate = folder.resolve("template.yaml");
            if (Files.isRegularFile(candidate)) {
                return candidate;
            }
        }
        throw new IllegalStateException("no template.yaml in " + Path.of("").toAbsolutePath()
                + " or its parents; set -D" + TEMPLATE_PROPERTY + "=<file>");
    }

    /** Closed by JUnit (5.13 and later close AutoCloseable store values) when the test run ends: stops the engines and deletes their data. */
    private record RunningCloud(LocalCloud cloud, Path stateDirectory) implements AutoCloseable {

        @Override
        public void close() {
            cloud.close();
            StateFolder.deleteRecursively(stateDirectory);
        }
    }
}
