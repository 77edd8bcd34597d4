package io.github.iottelemetry.localiot.actions;

/** An action that could not deliver: the resource it targeted and the error, as in IoT Core's error payload. */
public final class ActionFailure extends RuntimeException {

    private final String failedAction;
    private final String failedResource;

    public ActionFailure(String failedAction, String failedResource, String errorMessage, Throwable cause) {
        super(errorMessage, cause);
        this.failedAction = failedAction;
        this.failedResource = failedResource;
    }

    public String failedAction() {
        return failedAction;
    }

    public String failedResource() {
        return failedResource;
    }
}
