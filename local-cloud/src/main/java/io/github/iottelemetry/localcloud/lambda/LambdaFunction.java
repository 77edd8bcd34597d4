package io.github.iottelemetry.localcloud.lambda;

import io.github.iottelemetry.template.CfnTemplate;
import io.github.iottelemetry.template.DefaultResourceResolver;
import io.github.iottelemetry.template.PseudoParameters;
import io.github.iottelemetry.template.ResolvedResource;
import io.github.iottelemetry.template.ResolvedTemplate;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An {@code AWS::Serverless::Function} of the template as the local Lambda needs it: the handler string, where
 * its deployment package is built (the project's convention: {@code <CodeUri>/target/lambda}, classes at the root
 * and {@code lib/*.jar}, the layout `sam build` zips), its environment and its Kinesis event sources.
 */
public record LambdaFunction(
        String logicalId,
        String functionName,
        String handler,
        Path packageFolder,
        int memoryMb,
        Map<String, String> environment,
        List<KinesisEventSource> kinesisEvents) {

    public static final String TYPE = "AWS::Serverless::Function";

    public String arn(String region) {
        return "arn:aws:lambda:" + region + ":" + PseudoParameters.LOCAL_ACCOUNT_ID + ":function:" + functionName;
    }

    public boolean packageBuilt() {
        return java.nio.file.Files.isDirectory(packageFolder.resolve("lib"));
    }

    public LambdaFunction withPackage(Path folder, String handlerString, Map<String, String> variables) {
        return new LambdaFunction(logicalId, functionName, handlerString, folder, memoryMb, variables, kinesisEvents);
    }

    /** Every function of the template, resolved for the stack as the local cloud provisions it. */
    public static List<LambdaFunction> fromTemplate(
            Path templateFile, String stackName, String region, Map<String, String> parameterValues) {
        CfnTemplate template = CfnTemplate.load(templateFile);
        PseudoParameters pseudo = PseudoParameters.of(stackName, region, PseudoParameters.LOCAL_ACCOUNT_ID);
        DefaultResourceResolver names = new DefaultResourceResolver();
        ResolvedTemplate resolved = template.resolve(parameterValues, pseudo, names);
        Path root = templateFile.toAbsolutePath().getParent();
        List<LambdaFunction> functions = new ArrayList<>();
        for (ResolvedResource resource : resolved.resourcesOfType(TYPE)) {
            Map<String, String> environment = new LinkedHashMap<>();
            resource.property("Environment", "Variables")
                    .filter(Map.class::isInstance)
                    .map(Map.class::cast)
                    .ifPresent(variables -> variables.forEach(
                            (key, value) -> environment.put(String.valueOf(key), String.valueOf(value))));
            List<KinesisEventSource> events = new ArrayList<>();
            if (resource.property("Events").orElse(null) instanceof Map<?, ?> declared) {
                for (Map.Entry<?, ?> event : declared.entrySet()) {
                    if (event.getValue() instanceof Map<?, ?> definition && "Kinesis".equals(definition.get("Type"))) {
                        @SuppressWarnings("unchecked")
                        Map<String, Object> properties = (Map<String, Object>) definition.get("Properties");
                        events.add(KinesisEventSource.fromSam(String.valueOf(event.getKey()), properties));
                    }
                }
            }
            String codeUri = resource.stringProperty("CodeUri").orElse(".");
            functions.add(new LambdaFunction(
                    resource.logicalId(),
                    names.physicalName(resource, pseudo),
                    resource.stringProperty("Handler").orElse(""),
                    root.resolve(codeUri).resolve("target").resolve("lambda").normalize(),
                    resource.property("MemorySize")
                            .map(value -> (int) Double.parseDouble(String.valueOf(value)))
                            .orElse(128),
                    environment,
                    events));
        }
        return functions;
    }
}
