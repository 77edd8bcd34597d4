package io.github.iottelemetry.locals3;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import org.gaul.s3proxy.S3Proxy;
import org.jclouds.ContextBuilder;
import org.jclouds.blobstore.BlobStore;
import org.jclouds.blobstore.BlobStoreContext;

/**
 * Starts S3Proxy on the blob store its properties file names (the local cloud uses a filesystem folder), with
 * {@link AtomicConditionalWrites} in front of the store. Usage: {@code LocalS3 <s3proxy.properties>}; it serves
 * until the process is stopped.
 */
public final class LocalS3 {

    private LocalS3() {}

    public static void main(String[] args) throws Exception {
        if (args.length != 1) {
            System.err.println("usage: LocalS3 <s3proxy.properties>");
            System.exit(2);
        }
        Properties properties = load(Path.of(args[0]));
        // A folder or memory store takes no credentials; the proxy's own identity is in the s3proxy.* properties.
        BlobStore store = ContextBuilder.newBuilder(properties.getProperty("jclouds.provider"))
                .credentials("", "")
                .overrides(properties)
                .build(BlobStoreContext.class)
                .getBlobStore();
        S3Proxy proxy = S3Proxy.Builder.fromProperties(properties)
                .blobStore(new AtomicConditionalWrites(store))
                .build();
        proxy.start();
        System.out.println(
                "S3 listening on " + properties.getProperty("s3proxy.endpoint") + " with atomic conditional writes");
    }

    private static Properties load(Path file) throws IOException {
        Properties properties = new Properties();
        try (InputStream in = Files.newInputStream(file)) {
            properties.load(in);
        }
        return properties;
    }
}
