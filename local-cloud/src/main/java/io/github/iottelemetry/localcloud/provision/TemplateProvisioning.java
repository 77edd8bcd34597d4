package io.github.iottelemetry.localcloud.provision;

import io.github.iottelemetry.template.CfnTemplate;
import io.github.iottelemetry.template.DefaultResourceResolver;
import io.github.iottelemetry.template.PseudoParameters;
import io.github.iottelemetry.template.ResolvedTemplate;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** Reads template.yaml through template-model, as a stack named {@code stackName} would see it, into a local resource plan. */
public final class TemplateProvisioning {

    private TemplateProvisioning() {}

    /**
     * @throws io.github.iottelemetry.template.TemplateException when the template cannot be read or resolved
     *     (the message names file, line and element)
     * @throws ProvisioningException when a resource cannot be created locally (file, line and resource)
     */
    public static LocalResourcePlan plan(
            Path templateFile, String stackName, String region, Map<String, String> parameterValues) {
        CfnTemplate template = CfnTemplate.load(templateFile);
        PseudoParameters pseudo = PseudoParameters.of(stackName, region, PseudoParameters.LOCAL_ACCOUNT_ID);
        DefaultResourceResolver names = new DefaultResourceResolver();
        ResolvedTemplate resolved = template.resolve(parameterValues, pseudo, names);
        List<TemplateResourceView> resources = resolved.resources().values().stream()
                .map(resource -> new TemplateResourceView(
                        resource.logicalId(),
                        resource.type(),
                        resource.properties(),
                        resource.line(),
                        names.physicalName(resource, pseudo)))
                .toList();
        List<String> leftOutByCondition = template.resources().values().stream()
                .filter(resource -> !resolved.resources().containsKey(resource.logicalId()))
                .map(resource -> resource.logicalId() + " (" + resource.type() + ", condition "
                        + resource.condition().orElse("?") + " is false)")
                .toList();
        return ResourcePlanner.plan(template.sourceName(), resources).withLeftOutByCondition(leftOutByCondition);
    }
}
