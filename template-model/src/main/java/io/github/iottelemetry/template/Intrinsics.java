package io.github.iottelemetry.template;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Names and shapes of CloudFormation intrinsic functions, shared by the reference check and the evaluator. */
final class Intrinsics {

    static final String REF = "Ref";
    static final String CONDITION = "Condition";

    /** Functions this library checks and evaluates. */
    static final Set<String> EVALUATED = Set.of(
            REF,
            CONDITION,
            "Fn::Sub",
            "Fn::GetAtt",
            "Fn::Join",
            "Fn::If",
            "Fn::Equals",
            "Fn::Not",
            "Fn::And",
            "Fn::Or",
            "Fn::Select",
            "Fn::Split",
            "Fn::FindInMap",
            "Fn::Base64",
            "Fn::ImportValue",
            "Fn::GetAZs",
            "Fn::Cidr");

    /** Valid functions (from transforms such as AWS::LanguageExtensions) that stay unevaluated. */
    static final Set<String> PASSED_THROUGH = Set.of("Fn::Transform", "Fn::ToJsonString", "Fn::Length");

    /** {@code ${Name}} or {@code ${Resource.Attribute}} in an {@code Fn::Sub} string; {@code ${!x}} is a literal. */
    private static final Pattern SUB_VARIABLE = Pattern.compile("\\$\\{([^!}][^}]*)}");

    private Intrinsics() {}

    /**
     * The function name if {@code value} is an intrinsic call: a one-entry map whose key is a function
     * name. {@code Condition} counts only with a string argument, because IAM statements use a
     * {@code Condition} key holding a map.
     */
    static Optional<String> functionName(Object value) {
        if (!(value instanceof Map<?, ?> map) || map.size() != 1) {
            return Optional.empty();
        }
        Map.Entry<?, ?> entry = map.entrySet().iterator().next();
        if (!(entry.getKey() instanceof String key)) {
            return Optional.empty();
        }
        if (key.equals(CONDITION)) {
            return entry.getValue() instanceof String ? Optional.of(key) : Optional.empty();
        }
        return key.equals(REF) || key.startsWith("Fn::") ? Optional.of(key) : Optional.empty();
    }

    static Object argument(Object call) {
        return ((Map<?, ?>) call).values().iterator().next();
    }

    /** The names that an {@code Fn::Sub} template string refers to, in order, without duplicates removed. */
    static List<String> subVariables(String template) {
        List<String> names = new ArrayList<>();
        Matcher matcher = SUB_VARIABLE.matcher(template);
        while (matcher.find()) {
            names.add(matcher.group(1).strip());
        }
        return names;
    }

    static Pattern subVariablePattern() {
        return SUB_VARIABLE;
    }
}
