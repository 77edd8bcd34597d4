package io.github.iottelemetry.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import io.github.iottelemetry.template.CfnTemplate;
import io.github.iottelemetry.template.PseudoParameters;
import io.github.iottelemetry.template.ResolvedResource;
import java.lang.reflect.Modifier;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The package `sam build` deploys (target/lambda, laid out as Lambda loads it) holds the handler that
 * template.yaml names, with the constructor and method Lambda calls. Runs after `package`, so it is
 * never skipped in `./mvnw verify`.
 */
class DeploymentPackageIT {

    @Test
    void theTemplatesHandlerIsInTheDeploymentPackage() throws Exception {
        Path template = Path.of("..", "template.yaml").toAbsolutePath().normalize();
        ResolvedResource function = CfnTemplate.load(template)
                .resolve(Map.of(), PseudoParameters.local("check"))
                .resource("IngestFunction")
                .orElseThrow();
        String handler = String.valueOf(function.property("Handler").orElseThrow());
        String className = handler.split("::")[0];
        String method = handler.contains("::") ? handler.split("::")[1] : "handleRequest";

        Path pkg = Path.of("target", "lambda").toAbsolutePath();
        assertThat(pkg.resolve(className.replace('.', '/') + ".class"))
                .as("handler class in the package")
                .isRegularFile();
        List<URL> urls = new ArrayList<>();
        urls.add(pkg.toUri().toURL());
        try (Stream<Path> jars = Files.list(pkg.resolve("lib"))) {
            for (Path jar : jars.filter(p -> p.toString().endsWith(".jar")).toList()) {
                urls.add(jar.toUri().toURL());
            }
        }
        // Loaded in isolation from the package alone, as the Lambda runtime does.
        try (URLClassLoader loader =
                new URLClassLoader(urls.toArray(new URL[0]), ClassLoader.getPlatformClassLoader())) {
            // Initialised, and constructed with the function's environment, as Lambda's first invocation does: a class
            // or a jar missing from lib/ fails here, not at the first batch on AWS.
            Class<?> type = Class.forName(className, true, loader);
            assertThat(loader.loadClass(RequestHandler.class.getName()).isAssignableFrom(type))
                    .isTrue();
            assertThat(Modifier.isPublic(type.getConstructor().getModifiers())).isTrue();
            assertThat(List.of(type.getMethods()))
                    .anyMatch(m -> m.getName().equals(method) && m.getParameterCount() == 2);
            assertThat(loader.getResource("log4j2.xml"))
                    .as("logging configuration in the package")
                    .isNotNull();
            Map<String, String> environment = new java.util.HashMap<>();
            ((Map<?, ?>) function.property("Environment", "Variables").orElseThrow())
                    .forEach((key, value) -> environment.put(String.valueOf(key), String.valueOf(value)));
            environment.put("AWS_REGION", "us-east-1");
            assertThat(type.getConstructor(Map.class).newInstance(environment)).isNotNull();
        }
    }
}
