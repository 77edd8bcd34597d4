package io.github.iottelemetry.ingest.batch;

import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkServiceException;

/**
 * Which AWS errors are worth a retry of the record (throttling, timeouts, 5xx) and which mean the
 * deployment is wrong (missing table, access denied): those fail the whole invocation loudly.
 */
public final class TransientFailures {
    private TransientFailures() {}

    public static boolean isTransient(Throwable t) {
        Throwable e = t;
        while (e != null) {
            if (e instanceof SdkServiceException s) {
                return s.isThrottlingException() || s.statusCode() >= 500 || s.statusCode() == 429;
            }
            if (e instanceof SdkClientException || e instanceof java.io.IOException) {
                return true; // connection reset, timeouts: the request may not have reached the service
            }
            e = e.getCause();
        }
        return false;
    }
}
