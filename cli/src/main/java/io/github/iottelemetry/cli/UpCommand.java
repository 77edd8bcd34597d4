package io.github.iottelemetry.cli;

import io.github.iottelemetry.console.ConsoleOptions;
import io.github.iottelemetry.console.ConsoleServer;
import io.github.iottelemetry.localcloud.EnvFile;
import io.github.iottelemetry.localcloud.LocalCloud;
import io.github.iottelemetry.localcloud.LocalCloudOptions;
import io.github.iottelemetry.localcloud.dynamodb.DynamoDbEngine;
import io.github.iottelemetry.localcloud.iot.IotSettings;
import io.github.iottelemetry.localcloud.kinesis.KinesisEngine;
import io.github.iottelemetry.localcloud.lambda.LocalEventSourceMappings;
import io.github.iottelemetry.localcloud.process.EngineStartException;
import io.github.iottelemetry.localcloud.provision.ProvisioningException;
import io.github.iottelemetry.localiot.LocalIotCore;
import io.github.iottelemetry.template.TemplateException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** `pipeline up`: starts the engines, provisions template.yaml, writes the env file, runs until Ctrl-C. */
@Command(
        name = "up",
        sortOptions = false,
        description =
                "Start the local cloud (Kinesis emulator, DynamoDB engine, S3Proxy, IoT Core), provision template.yaml, "
                        + "write .local-cloud/env and run until Ctrl-C.")
public final class UpCommand implements Callable<Integer> {

    /** The launcher passes the project folder, so `pipeline up` works from any working directory. */
    static final String PROJECT_DIRECTORY_PROPERTY = "pipeline.home";

    @Option(
            names = {"-h", "--help"},
            usageHelp = true,
            description = "Show this help and exit.")
    boolean help;

    @Option(names = "--fresh", description = "Delete the engines' data first and start empty.")
    boolean fresh;

    @Option(
            names = "--kinesis-engine",
            defaultValue = "kinesalite",
            paramLabel = "ENGINE",
            description = "kinesalite (default, fast) or kinesis-mock (npm kinesis-local, LocalStack's engine).")
    String kinesisEngine;

    @Option(
            names = "--kinesis-port",
            paramLabel = "PORT",
            defaultValue = "" + LocalCloudOptions.DEFAULT_KINESIS_PORT,
            description = "Default: ${DEFAULT-VALUE}.")
    int kinesisPort;

    @Option(
            names = "--dynamodb-port",
            paramLabel = "PORT",
            defaultValue = "" + LocalCloudOptions.DEFAULT_DYNAMODB_PORT,
            description = "Default: ${DEFAULT-VALUE}.")
    int dynamoDbPort;

    @Option(
            names = "--s3-port",
            paramLabel = "PORT",
            defaultValue = "" + LocalCloudOptions.DEFAULT_S3_PORT,
            description = "Default: ${DEFAULT-VALUE}.")
    int s3Port;

    @Option(
            names = "--mqtt-port",
            paramLabel = "PORT",
            defaultValue = "" + IotSettings.DEFAULT_MQTT_PORT,
            description = "IoT Core's MQTT port (TLS with client certificates). Default: ${DEFAULT-VALUE}.")
    int mqttPort;

    @Option(
            names = "--insecure",
            description = "IoT Core on plain MQTT over TCP, without TLS or client certificates (debugging only).")
    boolean insecure;

    @Option(
            names = "--dynamodb-in-memory",
            description = "The DynamoDB engine keeps tables in memory only: nothing kept after Ctrl-C.")
    boolean dynamoDbInMemory;

    @Option(
            names = "--dynamodb-endpoint",
            paramLabel = "URL",
            description =
                    "Use a DynamoDB you run yourself (DynamoDB Local, "
                            + "say) instead of the local cloud's engine: the template's tables are provisioned there and the env file points to it.")
    java.net.URI dynamoDbEndpoint;

    @Option(names = "--no-iot", description = "Do not start IoT Core (MQTT broker and the template's TopicRules).")
    boolean noIot;

    @Option(
            names = "--no-lambda",
            description = "Do not run the template's functions from their Kinesis event sources.")
    boolean noLambda;

    @Option(
            names = "--state-dir",
            paramLabel = "DIR",
            description =
                    "Engine data, logs and env file. Default: LOCAL_CLOUD_STATE if exported, else <project>/.local-cloud.")
    Path stateDirectory;

    @Option(names = "--template", paramLabel = "FILE", description = "Default: <project>/template.yaml.")
    Path template;

    @Option(
            names = "--stack-name",
            paramLabel = "NAME",
            defaultValue = LocalCloudOptions.DEFAULT_STACK_NAME,
            description = "AWS::StackName for the template. Default: ${DEFAULT-VALUE}.")
    String stackName;

    @Option(
            names = "--region",
            paramLabel = "REGION",
            defaultValue = LocalCloudOptions.DEFAULT_REGION,
            description = "Default: ${DEFAULT-VALUE}.")
    String region;

    @Option(
            names = {"-p", "--parameter"},
            paramLabel = "NAME=VALUE",
            description = "A template parameter value (repeatable).")
    Map<String, String> parameters = new LinkedHashMap<>();

    @CommandLine.Mixin
    ConsoleOptions console = new ConsoleOptions();

    /** Logback configuration of the command line (warnings only), unless the user names another. */
    static final String LOGBACK_CONFIGURATION = "local-cloud-logback.xml";

    public static void main(String[] args) {
        quietEngineLogging();
        System.exit(new CommandLine(new UpCommand()).execute(args));
    }

    static void quietEngineLogging() {
        if (System.getProperty("logback.configurationFile") == null) {
            System.setProperty("logback.configurationFile", LOGBACK_CONFIGURATION);
        }
    }

    @Override
    public Integer call() throws InterruptedException {
        Path project = Path.of(System.getProperty(PROJECT_DIRECTORY_PROPERTY, "."))
                .toAbsolutePath()
                .normalize();
        LocalCloudOptions defaults = LocalCloudOptions.defaults(project);
        Path state = stateDirectory != null ? stateDirectory.toAbsolutePath() : defaults.stateDirectory();
        KinesisEngine engine;
        try {
            engine = KinesisEngine.fromCliName(kinesisEngine);
        } catch (IllegalArgumentException e) {
            System.err.println("pipeline up: --kinesis-engine: " + e.getMessage());
            return 2;
        }
        LocalCloudOptions options = new LocalCloudOptions(
                state,
                fresh,
                engine,
                kinesisPort,
                dynamoDbPort,
                s3Port,
                region,
                Optional.of(
                        template != null
                                ? template.toAbsolutePath()
                                : defaults.template().orElseThrow()),
                stackName,
                parameters,
                IotSettings.OFF,
                dynamoDbInMemory,
                Optional.ofNullable(dynamoDbEndpoint));
        String iotSkipped = noIot ? "--no-iot" : null;
        if (iotSkipped == null) {
            options = options.withIot(IotSettings.on(mqttPort, insecure, LocalIotCore::start));
        }
        LocalCloud cloud;
        try {
            cloud = LocalCloud.start(options);
        } catch (EngineStartException | ProvisioningException | TemplateException e) {
            System.err.println("pipeline up: " + e.getMessage());
            return 1;
        }
        Path envFile = state.resolve("env");
        LocalEventSourceMappings lambdas = null;
        String lambdaSkipped = "--no-lambda";
        if (!noLambda) {
            try {
                lambdas = LocalEventSourceMappings.start(cloud, LocalEventSourceMappings.LAMBDA_POLL_INTERVAL);
            } catch (RuntimeException e) {
                lambdaSkipped = "failed to start: " + e.getMessage();
            }
        }
        LocalEventSourceMappings runningLambdas = lambdas;
        ConsoleServer consoleServer = null;
        if (console.enabled()) {
            try {
                consoleServer = console.startLocal(options.template().orElseThrow(), stackName, cloud.environment());
            } catch (RuntimeException e) {
                System.err.println("pipeline up: the console did not start: " + e.getMessage());
            }
        }
        ConsoleServer runningConsole = consoleServer;
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            System.out.println("Stopping the local cloud ...");
                            if (runningConsole != null) {
                                runningConsole.close();
                            }
                            if (runningLambdas != null) {
                                runningLambdas.close();
                            }
                            cloud.close();
                            deleteQuietly(envFile);
                            stopped.countDown();
                        },
                        "stop local cloud"));

        EnvFile.write(envFile, cloud.environment());
        cloud.provisioning().lines().forEach(System.out::println);
        if (lambdas != null) {
            lambdas.lines().forEach(System.out::println);
        } else {
            System.out.println("Lambda event source mappings: not started: " + lambdaSkipped);
        }
        System.out.println();
        System.out.printf("Kinesis   %-28s %s%n", cloud.endpoints().kinesis(), options.kinesisEngine());
        if (options.dynamoDbEndpoint().isPresent()) {
            System.out.printf(
                    "DynamoDB  %-28s yours (--dynamodb-endpoint): the local cloud started no DynamoDB engine%n",
                    cloud.endpoints().dynamoDb());
        } else {
            System.out.printf(
                    "DynamoDB  %-28s %s, tables %s; TTL: expired items deleted every %d s%n",
                    cloud.endpoints().dynamoDb(),
                    DynamoDbEngine.NAME,
                    options.dynamoDbInMemory() ? "in memory" : "in " + displayPath(state.resolve("dynamodb")),
                    DynamoDbEngine.DEFAULT_TTL_SWEEP.toSeconds());
            System.out.printf("          not modelled: %s%n", DynamoDbEngine.NOT_MODELLED);
        }
        System.out.printf(
                "S3        %-28s S3Proxy on %s%n",
                cloud.endpoints().s3(), cloud.bucketFolder("").toAbsolutePath());
        cloud.iot()
                .ifPresentOrElse(
                        iot -> System.out.printf(
                                "IoT Core  %-28s %s, CA %s%n",
                                (iot.tls() ? "mqtts://" : "mqtt://") + iot.endpoint(),
                                iot.tls()
                                        ? "MQTT 3.1.1/5 over TLS, client certificates"
                                        : "MQTT over plain TCP (--insecure)",
                                displayPath(iot.caCertificateFile())),
                        () -> System.out.printf("IoT Core  not started: %s%n", iotSkipped));
        System.out.printf("Logs      %s%n", state.resolve("logs"));
        if (runningConsole != null) {
            System.out.printf("Console   %s%n", runningConsole.url());
        }
        System.out.printf(
                "%nReady in %.1f s (%s). In another shell:%n  source %s%n  aws kinesis list-streams%n%nCtrl-C stops everything.%n",
                secondsSinceJvmStart(), cloud.startupTimes(), displayPath(envFile));
        System.out.flush();
        stopped.await();
        return 0;
    }

    /** From the JVM's start, so the figure includes what a user waits for, not only the engines. */
    private static double secondsSinceJvmStart() {
        return java.lang.management.ManagementFactory.getRuntimeMXBean().getUptime() / 1e3;
    }

    private static String displayPath(Path file) {
        Path current = Path.of("").toAbsolutePath();
        return file.startsWith(current) ? current.relativize(file).toString() : file.toString();
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + file, e);
        }
    }
}
