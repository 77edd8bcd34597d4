package io.github.iottelemetry.cli;

import io.github.iottelemetry.iotrules.cli.IotSqlCommand;
import io.github.iottelemetry.localca.LocalCertificateAuthority;
import io.github.iottelemetry.localcloud.LocalCloudOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * `pipeline iot`: IoT Core tools on this machine. {@code revoke} works on the local CA in the state folder;
 * {@code sql} is the rule tester of module iot-rules.
 */
@Command(
        name = "iot",
        mixinStandardHelpOptions = true,
        subcommands = IotCommand.Revoke.class,
        description = "IoT Core tools: revoke a device certificate of the local CA, test an IoT SQL statement.")
public final class IotCommand {

    public static void main(String[] args) {
        UpCommand.quietEngineLogging();
        System.exit(commandLine().execute(args));
    }

    static CommandLine commandLine() {
        return new CommandLine(new IotCommand()).addSubcommand("sql", new IotSqlCommand());
    }

    @Command(
            name = "revoke",
            mixinStandardHelpOptions = true,
            description =
                    "Revoke a device certificate issued by the local CA: the broker refuses it from the device's next "
                            + "connect on (also while `pipeline up` runs).")
    static final class Revoke implements Callable<Integer> {

        @Option(names = "--cert", required = true, paramLabel = "FILE", description = "The device certificate (PEM).")
        Path certificate;

        @Option(
                names = "--state-dir",
                paramLabel = "DIR",
                description =
                        "The local cloud's state folder. Default: LOCAL_CLOUD_STATE of the sourced env file, else <project>/.local-cloud.")
        Path stateDirectory;

        @Override
        public Integer call() {
            Path project = Path.of(System.getProperty(UpCommand.PROJECT_DIRECTORY_PROPERTY, "."))
                    .toAbsolutePath()
                    .normalize();
            Path state = stateDirectory != null
                    ? stateDirectory.toAbsolutePath()
                    : LocalCloudOptions.defaults(project).stateDirectory();
            if (!Files.isRegularFile(certificate)) {
                System.err.println("pipeline iot revoke: no certificate file " + certificate.toAbsolutePath());
                return 2;
            }
            if (!Files.isDirectory(state.resolve("iot").resolve("ca"))) {
                System.err.println("pipeline iot revoke: no local CA in "
                        + state.resolve("iot").resolve("ca") + " (start `pipeline up` once, or pass --state-dir)");
                return 2;
            }
            try {
                String thing = LocalCertificateAuthority.openOrCreate(
                                state.resolve("iot").resolve("ca"))
                        .revoke(certificate.toAbsolutePath())
                        .thingName();
                System.out.println(
                        "Revoked the certificate of " + thing + " (" + certificate + "); its next connect is refused.");
                return 0;
            } catch (RuntimeException e) {
                System.err.println("pipeline iot revoke: " + e.getMessage());
                return 1;
            }
        }
    }
}
