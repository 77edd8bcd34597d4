package io.github.iottelemetry.console;

import io.github.iottelemetry.query.cli.LocalCloudEnv;
import io.github.iottelemetry.template.LocalStateFolder;
import io.github.iottelemetry.template.StackNames;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code pipeline console}: the web console on the running local cloud, or on a deployed stack with --aws. */
@Command(
        name = "console",
        mixinStandardHelpOptions = true,
        description = "Serve the pipeline's web console on 127.0.0.1: live flow, devices, fleet, quarantine, named "
                + "queries; on the local cloud (started by `up`) or on a deployed stack (--aws).")
public final class ConsoleCommand implements Callable<Integer> {

    /** The console's default port; {@code --console-port} / {@code --port} change it, 0 picks a free one. */
    public static final int DEFAULT_PORT = 8765;

    @Option(names = "--port", description = "Port (default ${DEFAULT-VALUE}; 0 picks a free one).")
    int port = DEFAULT_PORT;

    @Option(
            names = "--bind",
            description =
                    "Address to listen on (default ${DEFAULT-VALUE}: this machine only; the console has no login).")
    String bind = "127.0.0.1";

    @Option(
            names = "--state-dir",
            description =
                    "The local cloud's state folder (default: LOCAL_CLOUD_STATE, else .local-cloud of the project).")
    Path stateDir;

    @Option(names = "--template", description = "The template (default: template.yaml of the project).")
    Path template;

    @Option(names = "--aws", description = "Read a deployed stack: DynamoDB and Athena (views 2-5; no live flow).")
    boolean aws;

    @Option(
            names = "--stack",
            description = "Stack name (default: " + StackNames.AWS_DEFAULT + " with --aws, else "
                    + StackNames.LOCAL_DEFAULT + ").")
    String stack;

    @Option(names = "--region", description = "AWS region for --aws (default: AWS_REGION, else us-east-1).")
    String region;

    @Option(
            names = {"-p", "--parameter"},
            paramLabel = "NAME=VALUE",
            description = "With --aws: a parameter the stack was deployed with, where it differs from the template's "
                    + "default (AggregationResolutions, say; repeatable).")
    Map<String, String> parameters = new java.util.LinkedHashMap<>();

    public static void main(String[] args) {
        System.exit(new CommandLine(new ConsoleCommand()).execute(args));
    }

    @Override
    public Integer call() throws InterruptedException {
        Path home = Path.of(System.getProperty("pipeline.home", "")).toAbsolutePath();
        Path templateFile = template != null ? template : home.resolve("template.yaml");
        ConsoleData data;
        if (aws) {
            String r = region != null ? region : System.getenv().getOrDefault("AWS_REGION", "us-east-1");
            data = ConsoleData.aws(templateFile, stack != null ? stack : StackNames.AWS_DEFAULT, r, parameters);
        } else {
            Path state = stateDir != null ? stateDir : LocalStateFolder.of(home);
            LocalCloudEnv env = LocalCloudEnv.read(state);
            data = ConsoleData.local(templateFile, stack != null ? stack : StackNames.LOCAL_DEFAULT, env.values());
        }
        ConsoleServer server = ConsoleServer.start(data, bind, port);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            stopped.countDown();
        }));
        System.out.println(
                "Console: " + server.url() + "   (" + data.mode() + ", stack " + data.stack() + "; Ctrl-C stops it)");
        stopped.await();
        return 0;
    }
}
