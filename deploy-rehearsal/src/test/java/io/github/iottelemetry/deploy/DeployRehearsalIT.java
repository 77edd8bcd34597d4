package io.github.iottelemetry.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.iottelemetry.query.engine.AthenaParameterRules;
import io.github.iottelemetry.template.CfnTemplate;
import io.github.iottelemetry.template.PseudoParameters;
import io.github.iottelemetry.template.ResolvedResource;
import io.github.iottelemetry.template.ResolvedTemplate;
import io.github.iottelemetry.template.StackNames;
import java.io.IOException;
import java.lang.reflect.Constructor;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The deploy path of README's "Deploy to AWS", rehearsed without an AWS account: the function is built the way
 * {@code sam build} builds it (the Makefile target, run in a copy of the project as a clean clone has it, with
 * {@code ARTIFACTS_DIR}, on a PATH without Node.js) and its handler is loaded from that artifact; the SAM template is
 * translated by the SAM translator (as CloudFormation's transform does) and the processed stack is checked for what
 * cfn-lint cannot see. README names what this cannot check.
 */
class DeployRehearsalIT {

    private static final String STACK = "iot-telemetry-dev";
    private static final String REGION = "eu-west-1";
    private static final String ACCOUNT = "123456789012";
    private static final String IMAGE = ACCOUNT + ".dkr.ecr." + REGION + ".amazonaws.com/stream-processor:rehearsal";
    private static final Set<String> NODE_TOOLS = Set.of("node", "nodejs", "npm", "npx", "corepack");

    private static Path project;
    private static ResolvedTemplate stack;

    @BeforeAll
    static void translate(@TempDir Path work) throws Exception {
        project = projectRoot();
        Path translated = work.resolve("translated.json");
        Path script =
                Path.of(DeployRehearsalIT.class.getResource("/sam-translate.py").toURI());
        run(
                List.of(
                        "python3",
                        script.toString(),
                        project.resolve("template.yaml").toString(),
                        "StreamProcessorImage=" + IMAGE),
                project,
                Map.of("AWS_DEFAULT_REGION", REGION),
                translated,
                120);
        CfnTemplate processed =
                CfnTemplate.load(Files.readString(translated), "template.yaml as the SAM transform leaves it");
        stack = processed.resolve(Map.of("StreamProcessorImage", IMAGE), PseudoParameters.of(STACK, REGION, ACCOUNT));
    }

    @Test
    void theFunctionBuildsAsSamBuildsItWithoutNodeAndItsHandlerLoadsFromTheArtifact(@TempDir Path work)
            throws Exception {
        ResolvedResource function = stack.resource("IngestFunction").orElseThrow();
        // SAM runs make in its scratch folder (a copy of the project) or, with --build-in-source, in the project: both
        // are a whole project. A WorkingDirectory inside the project would send make to the scratch folder, which
        // --build-in-source leaves empty ("make: ./mvnw: No such file or directory").
        Map<String, Object> metadata = templateMetadata("IngestFunction");
        assertThat(metadata)
                .containsEntry("BuildMethod", "makefile")
                .containsEntry("ProjectRootDirectory", ".")
                .doesNotContainKey("WorkingDirectory");

        Path copy = copyTrackedFiles(work.resolve("project"));
        Path artifacts = Files.createDirectories(work.resolve("artifacts"));
        Map<String, String> environment = new HashMap<>();
        environment.put("ARTIFACTS_DIR", artifacts.toString());
        environment.put("PATH", pathWithoutNode(work.resolve("bin")));
        run(
                List.of("make", "--makefile", copy.resolve("Makefile").toString(), "build-IngestFunction"),
                copy,
                environment,
                work.resolve("make.log"),
                600);

        assertThat(Files.isDirectory(copy.resolve("local-cloud/target/local-cloud-engines/node-engines/node_modules")))
                .as("the function's build installs no Node.js packages")
                .isFalse();
        String handler = function.stringProperty("Handler").orElseThrow();
        String handlerClass = handler.substring(0, handler.indexOf("::"));
        Map<String, String> variables =
                stringMap(function.property("Environment", "Variables").orElseThrow());
        variables.put("AWS_REGION", REGION);
        List<URL> classpath = new ArrayList<>(List.of(artifacts.toUri().toURL()));
        try (Stream<Path> jars = Files.list(artifacts.resolve("lib"))) {
            for (Path jar :
                    jars.filter(p -> p.toString().endsWith(".jar")).sorted().toList()) {
                classpath.add(jar.toUri().toURL());
            }
        }
        try (URLClassLoader lambda =
                new URLClassLoader(classpath.toArray(URL[]::new), ClassLoader.getPlatformClassLoader())) {
            Class<?> type = Class.forName(handlerClass, true, lambda);
            Class<?> requestHandler =
                    Class.forName("com.amazonaws.services.lambda.runtime.RequestHandler", false, lambda);
            assertThat(requestHandler.isAssignableFrom(type))
                    .as(handlerClass + " is a RequestHandler")
                    .isTrue();
            assertThat(type.getMethods())
                    .anyMatch(m -> m.getName().equals(handler.substring(handler.indexOf("::") + 2)));
            Constructor<?> withEnvironment = type.getConstructor(Map.class);
            assertThat(withEnvironment.newInstance(variables))
                    .as("the handler starts with the stack's environment")
                    .isNotNull();
        }
    }

    @Test
    void kclRunsInItsSingleTableModeWithThePermissionsThatModeNeeds() {
        String application = stack.resource("KclLeaseTable")
                .orElseThrow()
                .stringProperty("TableName")
                .orElseThrow();
        assertThat(application)
                .as("the local cloud names KCL_APPLICATION_NAME so")
                .isEqualTo(StackNames.kclApplication(STACK));
        assertThat(stack.resourcesOfType("AWS::DynamoDB::Table"))
                .extracting(r -> r.stringProperty("TableName").orElse(""))
                .as(
                        "an existing <app>-CoordinatorState table puts a new KCL 3.5 application in the legacy multi-table mode")
                .doesNotContain(application + "-CoordinatorState", application + "-WorkerMetricStats");
        ResolvedResource task = stack.resource("StreamProcessorTaskDefinition").orElseThrow();
        assertThat(environment(task)).containsEntry("KCL_APPLICATION_NAME", application);
        String policies = String.valueOf(stack.resource("StreamProcessorTaskRole")
                .orElseThrow()
                .property("Policies")
                .orElseThrow());
        assertThat(policies)
                .as("KCL asks whether the legacy tables exist: it must be answered 'not found', not 'denied'")
                .contains("dynamodb:DescribeTable")
                .contains(":table/" + application + "-CoordinatorState")
                .contains(":table/" + application + "-WorkerMetricStats");
    }

    @Test
    void theProcessorTaskWritesOnlyToDeclaredVolumesAsANonRootUserTheImageDeclares() throws IOException {
        ResolvedResource task = stack.resource("StreamProcessorTaskDefinition").orElseThrow();
        Map<?, ?> container =
                (Map<?, ?>) ((List<?>) task.property("ContainerDefinitions").orElseThrow()).get(0);
        assertThat(container.get("ReadonlyRootFilesystem")).isIn(true, "true");
        String imageBuild = Files.readString(project.resolve("stream-processor/pom.xml"));
        assertThat(imageBuild).as("the image runs as a non-root user").contains("<user>65532:65532</user>");
        for (Object mount : (List<?>) container.get("MountPoints")) {
            String path = String.valueOf(((Map<?, ?>) mount).get("ContainerPath"));
            assertThat(imageBuild)
                    .as("Fargate's bind mount on %s is root-owned 0755 unless the image declares the volume", path)
                    .contains("<volume>" + path + "</volume>");
        }
        assertThat(environment(task))
                .as("the aggregates expire with the lake's copies")
                .containsEntry("AGGREGATES_TTL_DAYS", "365")
                .containsEntry("KCL_CLOUDWATCH_METRICS", "true");
        ResolvedResource service = stack.resource("StreamProcessorService").orElseThrow();
        assertThat(service.property("ServiceName"))
                .as("a fixed name blocks replacement updates")
                .isEmpty();
        assertThat(service.property("DesiredCount"))
                .as("an autoscaled service's count is the scaler's")
                .isEmpty();
    }

    @Test
    void theRuleIsNamedAfterTheStackInTheCharactersRuleNamesAllow() {
        Pattern ruleName = Pattern.compile("[a-zA-Z0-9_]{1,128}");
        Map<String, String> byStack = new LinkedHashMap<>();
        for (String name : List.of(STACK, "iot-telemetry-staging", StackNames.AWS_DEFAULT)) {
            ResolvedTemplate other = reresolve(name);
            byStack.put(
                    name,
                    other.resource("TelemetryRule")
                            .orElseThrow()
                            .stringProperty("RuleName")
                            .orElseThrow());
        }
        assertThat(byStack.values())
                .allMatch(name -> ruleName.matcher(name).matches())
                .doesNotHaveDuplicates();
        assertThat(byStack).containsEntry(StackNames.AWS_DEFAULT, StackNames.telemetryRule(StackNames.AWS_DEFAULT));
        String policy = String.valueOf(stack.resource("DevicePolicy")
                .orElseThrow()
                .property("PolicyDocument")
                .orElseThrow());
        assertThat(policy)
                .as("Basic Ingest topics name the stack's rule")
                .contains("$aws/rules/" + StackNames.telemetryRule(STACK) + "/");
    }

    @Test
    void namedQueriesTakeParametersOnlyWhereAthenaAcceptsThem() throws Exception {
        List<ResolvedResource> queries = stack.resourcesOfType("AWS::Athena::NamedQuery");
        assertThat(queries).isNotEmpty();
        try (Connection duckDb = DriverManager.getConnection("jdbc:duckdb:")) {
            for (ResolvedResource query : queries) {
                assertThat(AthenaParameterRules.violations(
                                duckDb, query.stringProperty("QueryString").orElseThrow()))
                        .as(query.logicalId())
                        .isEmpty();
            }
        }
    }

    @Test
    void everyToolDefaultsToTheSameStackAndDevicePolicy() throws IOException {
        Matcher deployDefault = Pattern.compile("stack=\"\\$\\{STACK_NAME:-([^}]+)}\"")
                .matcher(Files.readString(project.resolve("scripts/deploy")));
        assertThat(deployDefault.find())
                .as("scripts/deploy names a default stack")
                .isTrue();
        assertThat(deployDefault.group(1)).isEqualTo(StackNames.AWS_DEFAULT);
        assertThat(Files.readString(project.resolve("README.md")))
                .contains("scripts/deploy --stack " + StackNames.AWS_DEFAULT);
        assertThat(stack.resource("DevicePolicy").orElseThrow().stringProperty("PolicyName"))
                .contains(StackNames.devicePolicy(STACK));
    }

    @Test
    void theDashboardIsJsonAndPlotsTheMetricsTheProcessorEmits() throws Exception {
        ResolvedResource dashboard =
                stack.resourcesOfType("AWS::CloudWatch::Dashboard").get(0);
        JsonNode body = new ObjectMapper()
                .readTree(dashboard.stringProperty("DashboardBody").orElseThrow());
        List<String> metrics = new ArrayList<>();
        body.get("widgets")
                .forEach(widget -> widget.at("/properties/metrics").forEach(line -> metrics.add(line.toString())));
        assertThat(metrics)
                .as("the processor's embedded metric, in the namespace its task is given")
                .anyMatch(line -> line.contains("\"IotTelemetry/" + STACK + "\"")
                        && line.contains("\"WindowCloseToDurable\"")
                        && line.contains("\"Lake\""));
        assertThat(environment(stack.resource("StreamProcessorTaskDefinition").orElseThrow()))
                .containsEntry("POWERTOOLS_METRICS_NAMESPACE", "IotTelemetry/" + STACK);
    }

    @Test
    void theVpcParameterAcceptsOnlyRangesThatHoldItsTwoSubnets() {
        Pattern allowed = Pattern.compile(CfnTemplate.load(project.resolve("template.yaml"))
                .parameters()
                .get("VpcCidr")
                .allowedPattern()
                .orElseThrow());
        assertThat(allowed.matcher("10.60.0.0/16").matches()).isTrue();
        assertThat(allowed.matcher("10.60.0.0/23").matches())
                .as("two /24 subnets fit a /23")
                .isTrue();
        assertThat(allowed.matcher("10.60.0.0/24").matches())
                .as("two /24 subnets do not fit a /24")
                .isFalse();
    }

    // ---- helpers --------------------------------------------------------------------------------------------------

    private static ResolvedTemplate reresolve(String stackName) {
        try {
            return CfnTemplate.load(project.resolve("template.yaml"))
                    .resolve(Map.of("StreamProcessorImage", IMAGE), PseudoParameters.of(stackName, REGION, ACCOUNT));
        } catch (RuntimeException e) {
            throw new AssertionError("template.yaml does not resolve for stack " + stackName, e);
        }
    }

    private static Map<String, Object> templateMetadata(String logicalId) {
        return CfnTemplate.load(project.resolve("template.yaml"))
                .resource(logicalId)
                .orElseThrow()
                .metadata();
    }

    private static Map<String, String> environment(ResolvedResource task) {
        Map<?, ?> container =
                (Map<?, ?>) ((List<?>) task.property("ContainerDefinitions").orElseThrow()).get(0);
        Map<String, String> environment = new LinkedHashMap<>();
        for (Object entry : (List<?>) container.get("Environment")) {
            Map<?, ?> pair = (Map<?, ?>) entry;
            environment.put(String.valueOf(pair.get("Name")), String.valueOf(pair.get("Value")));
        }
        return environment;
    }

    private static Map<String, String> stringMap(Object value) {
        Map<String, String> map = new HashMap<>();
        ((Map<?, ?>) value).forEach((k, v) -> map.put(String.valueOf(k), String.valueOf(v)));
        return map;
    }

    /** The project's files as a clean clone has them (tracked, plus new files not ignored). */
    private static Path copyTrackedFiles(Path target) throws Exception {
        Path list = Files.createTempFile(target.getParent(), "files", ".txt");
        run(
                List.of("git", "ls-files", "--cached", "--others", "--exclude-standard", "-z"),
                project,
                Map.of(),
                list,
                60);
        for (String file : Files.readString(list, StandardCharsets.UTF_8).split("\0")) {
            Path source = project.resolve(file);
            if (file.isEmpty() || !Files.isRegularFile(source)) {
                continue; // deleted in the work tree but still in the index
            }
            Path copy = target.resolve(file);
            Files.createDirectories(copy.getParent());
            Files.copy(source, copy, java.nio.file.StandardCopyOption.COPY_ATTRIBUTES);
        }
        return target;
    }

    /** A PATH of one folder holding every command of this PATH except Node.js's. */
    private static String pathWithoutNode(Path bin) throws IOException {
        Files.createDirectories(bin);
        for (String folder : System.getenv("PATH").split(":")) {
            Path dir = Path.of(folder);
            if (!Files.isDirectory(dir)) {
                continue;
            }
            try (Stream<Path> commands = Files.list(dir)) {
                for (Path command : commands.toList()) {
                    Path link = bin.resolve(command.getFileName().toString());
                    if (!NODE_TOOLS.contains(link.getFileName().toString())
                            && Files.isExecutable(command)
                            && !Files.exists(link)) {
                        Files.createSymbolicLink(link, command.toAbsolutePath());
                    }
                }
            }
        }
        return bin.toString();
    }

    private static void run(
            List<String> command, Path directory, Map<String, String> environment, Path output, int timeoutSeconds)
            throws Exception {
        ProcessBuilder builder =
                new ProcessBuilder(command).directory(directory.toFile()).redirectOutput(output.toFile());
        builder.redirectError(ProcessBuilder.Redirect.appendTo(
                output.resolveSibling(output.getFileName() + ".err").toFile()));
        builder.environment().putAll(environment);
        Process process = builder.start();
        boolean done = process.waitFor(timeoutSeconds, TimeUnit.SECONDS);
        if (!done) {
            process.destroyForcibly();
        }
        if (!done || process.exitValue() != 0) {
            Path errors = output.resolveSibling(output.getFileName() + ".err");
            throw new AssertionError("`" + String.join(" ", command) + "` in " + directory
                    + (done ? " exited " + process.exitValue() : " ran past " + timeoutSeconds + " s") + ":\n"
                    + tail(output) + "\n" + tail(errors));
        }
    }

    private static String tail(Path file) throws IOException {
        if (!Files.exists(file)) {
            return "";
        }
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
    }

    private static Path projectRoot() {
        for (Path folder = Path.of("").toAbsolutePath(); folder != null; folder = folder.getParent()) {
            if (Files.exists(folder.resolve("template.yaml")) && Files.exists(folder.resolve("Makefile"))) {
                return folder;
            }
        }
        throw new IllegalStateException("no project root (template.yaml and Makefile) above "
                + Path.of("").toAbsolutePath());
    }
}
