package io.github.iottelemetry.localcloud.provision;

/** A template resource the local cloud cannot create; the message starts with file, line and resource. */
public class ProvisioningException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public ProvisioningException(String message) {
        super(message);
    }

    public ProvisioningException(String message, Throwable cause) {
        super(message, cause);
    }

    static ProvisioningException at(String sourceName, TemplateResourceView resource, String problem) {
        return new ProvisioningException(sourceName + ":" + resource.line() + " resource " + resource.logicalId() + " ("
                + resource.type() + "): " + problem);
    }
}
