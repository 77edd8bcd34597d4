package io.github.iottelemetry.localcloud.cli;

import io.github.iottelemetry.localcloud.LocalCloudOptions;
import io.github.iottelemetry.localcloud.iot.LocalIot;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/**
 * `pipeline iot`: IoT Core tools on this machine. {@code revoke} works on the local CA in the state folder;
 * {@code sql} is the rule tester of module iot-rules, added by class name (the launcher puts iot-rules on the
 * classpath through local-iot).
 */
@Command(name = "iot", mixinStandardHelpOptions = true, subcommands = IotCommand.Revoke.class,
        description = "IoT Core tools: revoke a device certificate of the local CA, test an IoT SQL statement.")
public final class IotCommand {

    static final String SQL_COMMAND_CLASS = "io.github.iottelemetry.iotrules.cli.IotSqlCommand";

    public static void main(String[] args) {
        UpCommand.quietEngineLogging();
        System.exit(commandLine().execute(args));
    }

    static CommandLine commandLine() {
        CommandLine commandLine = new CommandLine(new IotCommand());
        try {
            Object sql = Class.forName(SQL_COMMAND_CLASS).getDeclaredConstructor().newInstance();
            commandLine.addSubcommand("sql", sql);
        } catch (ReflectiveOperationException | LinkageError e) {
            // Without iot-rules on the classpath there is no rule tester; `pipeline iot sql` then says it is unknown.
        }
        return commandLine;
    }

    @Command(name = "revoke", mixinStandardHelpOptions = true,
            description = "Revoke a device certificate issued by the local CA: the broker refuses it from the device's next "
                    + "connect on (also while `pipeline up` runs).")
    static final class Revoke implements Callable<Integer> {

        @Option(names = "--cert", required = true, paramLabel = "FILE", description = "The device certificate (PEM).")
        Path certificate;

        @Option(names = "--state-dir", paramLabel = "DIR", description = "The local cloud's state folder. Default: <project>/.local-cloud.")
        Path stateDirectory;

        @Override
        public Integer call() {
            Path project = Path.of(System.getProperty(UpCommand.PROJECT_DIRECTORY_PROPERTY, ".")).toAbsolutePath().normalize();
            Path state = stateDirectory != null ? stateDirectory.toAbsolutePath() : LocalCloudOptions.defaults(project).stateDirectory();
            if (!Files.isRegularFile(certificate)) {
                System.err.println("pipeline iot revoke: no certificate file " + certificate.toAbsolutePath());
                return 2;
            }
            if (!Files.isDirectory(state.resolve("iot").resolve("ca"))) {
                System.err.println("pipeline iot revoke: no local CA in " + state.resolve("iot").resolve("ca")
                        + " (start `pipeline up` once, or pass --state-dir)");
                return 2;
            }
            try {
                String thing = LocalIot.revoke(state, certificate.toAbsolutePath());
                System.out.println("Revoked the certificate of " + thing + " (" + certificate + "); its next connect is refused.");
                return 0;
            } catch (RuntimeException e) {
                System.err.println("pipeline iot revoke: " + e.getMessage());
                return 1;
            }
        }
    }
}
