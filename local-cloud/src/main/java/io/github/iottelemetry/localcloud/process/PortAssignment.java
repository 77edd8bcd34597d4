package io.github.iottelemetry.localcloud.process;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;

/** A TCP port an engine listens on, with the command-line flag that changes it. */
public record PortAssignment(String service, int port, String flag) {

    /** Fails with the port and the flag to change it when something already listens there. */
    public void requireFree() {
        try (ServerSocket probe = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            probe.setReuseAddress(true);
        } catch (IOException taken) {
            throw new EngineStartException("port " + port + " for " + service + " is already in use on 127.0.0.1 ("
                    + taken.getMessage() + "); stop what uses it or choose another port with " + flag + " <port>");
        }
    }

    /** A port the operating system reports free right now, for tests and secondary listeners. */
    public static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free TCP port on 127.0.0.1", e);
        }
    }
}
