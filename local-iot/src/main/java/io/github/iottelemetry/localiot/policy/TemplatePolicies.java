package io.github.iottelemetry.localiot.policy;

import io.github.iottelemetry.template.ResolvedResource;
import io.github.iottelemetry.template.ResolvedTemplate;
import java.util.ArrayList;
import java.util.List;

/** The {@code AWS::IoT::Policy} resources of a resolved template, as documents the broker evaluates. */
public final class TemplatePolicies {

    public static final String POLICY_TYPE = "AWS::IoT::Policy";

    private TemplatePolicies() {}

    public static List<IotPolicyDocument> load(ResolvedTemplate template) {
        List<IotPolicyDocument> documents = new ArrayList<>();
        for (ResolvedResource resource : template.resourcesOfType(POLICY_TYPE)) {
            String name = resource.stringProperty("PolicyName").orElse(resource.logicalId());
            Object document = resource.property("PolicyDocument")
                    .orElseThrow(() -> new IllegalArgumentException("IoT policy " + resource.logicalId() + " in "
                            + template.template().sourceName() + " has no PolicyDocument"));
            documents.add(IotPolicyDocument.parse(name + " (" + resource.logicalId() + ")", document));
        }
        return List.copyOf(documents);
    }
}
