package io.github.iottelemetry.template;

import java.util.Optional;

/**
 * Supplies what CloudFormation only knows once resources exist: the value of {@code Ref} to a resource
 * and of {@code Fn::GetAtt}. The local cloud plugs in its own to map, say, a stream's {@code Arn} to
 * the local engine's; {@link DefaultResourceResolver} derives deterministic names and ARNs.
 *
 * <p>Returning empty leaves the intrinsic unevaluated in the resolved view (as a long-form call), so
 * callers can still see what was asked for.
 */
public interface ResourceResolver {

    /** The value of {@code {"Ref": logicalId}} for {@code resource}, whose properties are already resolved. */
    Optional<Object> ref(ResolvedResource resource, PseudoParameters pseudoParameters);

    /** The value of {@code {"Fn::GetAtt": [logicalId, attribute]}} for {@code resource}. */
    Optional<Object> attribute(ResolvedResource resource, String attribute, PseudoParameters pseudoParameters);

    /** The value of {@code Fn::ImportValue} for an export of another stack; none by default. */
    default Optional<Object> importValue(String exportName) {
        return Optional.empty();
    }
}
