package io.github.iottelemetry.locals3;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import org.gaul.s3proxy.PutOptions2;
import org.jclouds.blobstore.BlobStore;
import org.jclouds.blobstore.KeyNotFoundException;
import org.jclouds.blobstore.domain.Blob;
import org.jclouds.blobstore.domain.BlobMetadata;
import org.jclouds.blobstore.options.GetOptions;
import org.jclouds.blobstore.options.PutOptions;
import org.jclouds.blobstore.util.ForwardingBlobStore;
import org.jclouds.http.HttpResponse;
import org.jclouds.http.HttpResponseException;
import org.jclouds.io.Payload;
import org.jclouds.io.Payloads;

/**
 * A blob store whose conditional puts and whose reads are atomic, as S3's are: S3Proxy checks {@code If-Match} and
 * {@code If-None-Match} against the object's metadata and then writes it, two steps another put can come
 * between (two writers that read the same ETag would both succeed). Here every put and delete of a key holds
 * that key's lock, and a conditional put checks its condition again under it, so of two writers racing on one
 * ETag exactly one wins and the other gets 412 Precondition Failed, as on S3.
 */
final class AtomicConditionalWrites extends ForwardingBlobStore {
    private static final int STRIPES = 256;

    private final Object[] locks = new Object[STRIPES];

    AtomicConditionalWrites(BlobStore blobStore) {
        super(blobStore);
        for (int i = 0; i < STRIPES; i++) {
            locks[i] = new Object();
        }
    }

    @Override
    public String putBlob(String container, Blob blob) {
        return putBlob(container, blob, PutOptions.NONE);
    }

    @Override
    public String putBlob(String container, Blob blob, PutOptions options) {
        String name = blob.getMetadata().getName();
        boolean conditional =
                options instanceof PutOptions2 put && (put.getIfMatch() != null || put.getIfNoneMatch() != null);
        if (conditional) {
            // S3 evaluates the condition when the upload completes: take the whole body first (which also lets the
            // client read a 412 instead of finding the connection closed while it still sends).
            buffer(blob);
        }
        synchronized (lockOf(container, name)) {
            if (conditional) {
                PutOptions2 put = (PutOptions2) options;
                requireCondition(container, name, put.getIfMatch(), put.getIfNoneMatch());
            }
            return delegate().putBlob(container, blob, options);
        }
    }

    private static void buffer(Blob blob) {
        Payload received = blob.getPayload();
        byte[] body;
        try (InputStream in = received.openStream()) {
            body = in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "cannot read the body of " + blob.getMetadata().getName(), e);
        }
        Payload buffered = Payloads.newByteArrayPayload(body);
        buffered.setContentMetadata(received.getContentMetadata());
        blob.setPayload(buffered);
    }

    @Override
    public Blob getBlob(String container, String name) {
        return getBlob(container, name, GetOptions.NONE);
    }

    /**
     * S3 serves an object whole, in the version current when the GET began. S3Proxy's file store reads an object's size
     * and ETag first and opens its file later: a put renaming a new version into place between the two serves the new
     * bytes under the old length (a reader got a Parquet file cut short this way). Here the read happens under the
     * key's lock and the body is read whole before the lock is released (the local lake's objects are small).
     */
    @Override
    public Blob getBlob(String container, String name, GetOptions options) {
        synchronized (lockOf(container, name)) {
            Blob blob = delegate().getBlob(container, name, options);
            if (blob != null && blob.getPayload() != null) {
                buffer(blob);
            }
            return blob;
        }
    }

    @Override
    public void removeBlob(String container, String name) {
        synchronized (lockOf(container, name)) {
            delegate().removeBlob(container, name);
        }
    }

    /** S3's answers: If-None-Match: * on an existing object and If-Match on another ETag are 412; If-Match on none is 404. */
    private void requireCondition(String container, String name, String ifMatch, String ifNoneMatch) {
        if (ifMatch == null && ifNoneMatch == null) {
            return;
        }
        BlobMetadata current = delegate().blobMetadata(container, name);
        String eTag = current == null ? null : unquoted(current.getETag());
        if (ifNoneMatch != null
                && current != null
                && (ifNoneMatch.equals("*") || unquoted(ifNoneMatch).equals(eTag))) {
            throw preconditionFailed(container, name);
        }
        if (ifMatch != null) {
            if (current == null) {
                if (ifMatch.equals("*")) {
                    throw preconditionFailed(container, name);
                }
                throw new KeyNotFoundException(container, name, "If-Match on an object that does not exist");
            }
            if (!ifMatch.equals("*") && !unquoted(ifMatch).equals(eTag)) {
                throw preconditionFailed(container, name);
            }
        }
    }

    private Object lockOf(String container, String name) {
        return locks[Math.floorMod((container + "/" + name).hashCode(), STRIPES)];
    }

    private static String unquoted(String eTag) {
        if (eTag == null) {
            return null;
        }
        return eTag.length() >= 2 && eTag.startsWith("\"") && eTag.endsWith("\"")
                ? eTag.substring(1, eTag.length() - 1)
                : eTag;
    }

    private static HttpResponseException preconditionFailed(String container, String name) {
        return new HttpResponseException(
                "precondition failed for " + container + "/" + name,
                null,
                HttpResponse.builder()
                        .statusCode(412)
                        .message("Precondition Failed")
                        .build());
    }
}
