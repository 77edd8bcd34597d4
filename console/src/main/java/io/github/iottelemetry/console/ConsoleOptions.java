package io.github.iottelemetry.console;

import java.nio.file.Path;
import java.util.Map;
import picocli.CommandLine.Option;

/** {@code --console} and {@code --console-port}: a picocli mixin for the commands that serve the console beside what they run. */
public final class ConsoleOptions {

    @Option(
            names = "--console",
            description = "Serve the web console on 127.0.0.1 (live flow, device and fleet charts, quarantine, named "
                    + "queries); demo keeps it open after its summary until Ctrl-C.")
    boolean enabled;

    @Option(
            names = "--console-port",
            paramLabel = "PORT",
            description = "The console's port (default ${DEFAULT-VALUE}; 0 picks a free one).")
    int port = ConsoleCommand.DEFAULT_PORT;

    public boolean enabled() {
        return enabled;
    }

    /** The console on the local cloud that {@code environment} describes, or null without {@code --console}. */
    public ConsoleServer startLocal(Path template, String stack, Map<String, String> environment) {
        return enabled ? ConsoleServer.start(ConsoleData.local(template, stack, environment), "127.0.0.1", port) : null;
    }
}
