package io.github.iottelemetry.localcloud.s3;

import io.github.iottelemetry.localcloud.EngineInstallation;
import io.github.iottelemetry.localcloud.process.ChildProcess;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * S3Proxy as its own JVM (module local-s3: with S3's atomic conditional writes), serving a filesystem folder
 * (one sub-folder per bucket, one file per object, so DuckDB can read the lake directly). Its own JVM keeps
 * S3Proxy's Jetty and jclouds off the local cloud's classpath, which many modules' tests share.
 */
public final class S3ProxyServer {

    private S3ProxyServer() {}

    /**
     * @param accessKey the identity S3Proxy checks SigV4 signatures against: clients must sign with it
     */
    public static ChildProcess start(
            int port,
            Path dataDirectory,
            String accessKey,
            String secretKey,
            Path logFile,
            EngineInstallation installation) {
        Path blobs = bucketsFolder(dataDirectory);
        Path properties = dataDirectory.resolve("s3proxy.properties");
        try {
            Files.createDirectories(blobs);
            Files.write(
                    properties,
                    List.of(
                            "s3proxy.endpoint=http://127.0.0.1:" + port,
                            "s3proxy.authorization=aws-v2-or-v4",
                            "s3proxy.identity=" + accessKey,
                            "s3proxy.credential=" + secretKey,
                            "jclouds.provider=filesystem-nio2",
                            "jclouds.filesystem.basedir=" + blobs),
                    StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare the S3Proxy folder " + dataDirectory, e);
        }
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        // C1 only and a small serial heap: start-up competes with the other engines for 2 cores, and
        // local object traffic is light.
        return ChildProcess.startServer(
                "S3Proxy",
                List.of(
                        java.toString(),
                        "-Xmx256m",
                        "-XX:TieredStopAtLevel=1",
                        "-XX:+UseSerialGC",
                        "-jar",
                        installation.localS3Jar().toString(),
                        properties.toString()),
                Map.of(),
                dataDirectory,
                logFile,
                port);
    }

    /** One sub-folder per bucket, one file per object key. */
    public static Path bucketsFolder(Path dataDirectory) {
        return dataDirectory.resolve("buckets");
    }
}
