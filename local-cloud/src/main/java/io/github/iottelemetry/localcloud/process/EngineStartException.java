package io.github.iottelemetry.localcloud.process;

/** A local engine could not be started; the message says which engine and what to do. */
public class EngineStartException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public EngineStartException(String message) {
        super(message);
    }

    public EngineStartException(String message, Throwable cause) {
        super(message, cause);
    }
}
