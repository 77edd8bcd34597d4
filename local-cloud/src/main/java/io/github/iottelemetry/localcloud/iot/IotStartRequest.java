package io.github.iottelemetry.localcloud.iot;

import io.github.iottelemetry.localcloud.LocalCloudEndpoints;
import java.nio.file.Path;
import java.util.Map;

/**
 * What IoT Core needs of the local cloud it joins: the template, stack name and parameters the engines were
 * provisioned with (so the rules find the same stream and bucket), the engines' endpoints, and its own settings.
 */
public record IotStartRequest(
        IotSettings settings,
        Path stateDirectory,
        Path template,
        String stackName,
        Map<String, String> parameterValues,
        LocalCloudEndpoints endpoints) {

    public IotStartRequest {
        parameterValues = Map.copyOf(parameterValues);
    }
}
