package io.github.iottelemetry.template;

import java.io.StringReader;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeId;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;
import org.yaml.snakeyaml.representer.Representer;
import org.yaml.snakeyaml.resolver.Resolver;

/**
 * Turns CloudFormation YAML into plain Java values ({@code Map}, {@code List}, {@code String},
 * {@code Integer}/{@code Long}/{@code BigInteger}, {@code Double}, {@code Boolean}, {@code null}) with
 * every short-form intrinsic ({@code !Ref X}) rewritten to its long form ({@code {"Ref": "X"}}), the
 * same shape a JSON template has.
 *
 * <p>Scalars are typed the way CloudFormation reads them rather than by YAML 1.1 rules: only
 * {@code true}/{@code false} are booleans and dates stay strings, so {@code Version: 2012-10-17} in
 * a policy document is the string AWS expects.
 */
final class CfnYamlParser {

    /** Tag given to plain (unquoted, untagged) scalars so their type can be decided here. */
    private static final Tag PLAIN_SCALAR = new Tag("tag:iottelemetry,plain-scalar");

    private static final Map<String, String> SHORT_FORMS = Map.ofEntries(
            Map.entry("!Ref", "Ref"),
            Map.entry("!Condition", "Condition"),
            Map.entry("!Sub", "Fn::Sub"),
            Map.entry("!GetAtt", "Fn::GetAtt"),
            Map.entry("!Join", "Fn::Join"),
            Map.entry("!If", "Fn::If"),
            Map.entry("!Equals", "Fn::Equals"),
            Map.entry("!Not", "Fn::Not"),
            Map.entry("!And", "Fn::And"),
            Map.entry("!Or", "Fn::Or"),
            Map.entry("!Select", "Fn::Select"),
            Map.entry("!Split", "Fn::Split"),
            Map.entry("!FindInMap", "Fn::FindInMap"),
            Map.entry("!Base64", "Fn::Base64"),
            Map.entry("!ImportValue", "Fn::ImportValue"),
            Map.entry("!GetAZs", "Fn::GetAZs"),
            Map.entry("!Cidr", "Fn::Cidr"));

    private static final Pattern BOOLEAN = Pattern.compile("true|True|TRUE|false|False|FALSE");
    private static final Pattern NULL = Pattern.compile("~|null|Null|NULL|");
    private static final Pattern INTEGER = Pattern.compile("[-+]?(0|[1-9][0-9]*)");
    private static final Pattern DECIMAL =
            Pattern.compile("[-+]?([0-9]+\\.[0-9]*|\\.[0-9]+)([eE][-+]?[0-9]+)?|[-+]?[0-9]+[eE][-+]?[0-9]+");

    private final String sourceName;
    private final SourceLines lines = new SourceLines();
    private final Set<Node> nodesInProgress = Collections.newSetFromMap(new IdentityHashMap<>());

    private CfnYamlParser(String sourceName) {
        this.sourceName = sourceName;
    }

    record Parsed(Map<String, Object> root, SourceLines lines) {}

    static Parsed parse(String text, String sourceName) {
        CfnYamlParser parser = new CfnYamlParser(sourceName);
        Node root = parser.compose(text);
        if (!(root instanceof MappingNode)) {
            throw new TemplateException(
                    sourceName,
                    root == null ? 0 : line(root),
                    null,
                    "a template must be a YAML mapping with sections such as Resources, but the document is "
                            + (root == null ? "empty" : "a " + root.getNodeId()));
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> converted = (Map<String, Object>) parser.toValue(root);
        return new Parsed(converted, parser.lines);
    }

    private Node compose(String text) {
        LoaderOptions options = new LoaderOptions();
        options.setAllowDuplicateKeys(true); // reported below with both lines, more useful than SnakeYAML's message
        Yaml yaml = new Yaml(
                new SafeConstructor(options),
                new Representer(new DumperOptions()),
                new DumperOptions(),
                options,
                new CloudFormationResolver());
        try {
            return yaml.compose(new StringReader(text));
        } catch (MarkedYAMLException e) {
            Mark mark = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
            String problem = e.getProblem() != null ? e.getProblem() : e.getMessage();
            throw new TemplateException(
                    sourceName,
                    mark == null ? 0 : mark.getLine() + 1,
                    null,
                    "YAML syntax error: " + problem.strip(),
                    e);
        } catch (YAMLException e) {
            throw new TemplateException(sourceName, 0, null, "YAML syntax error: " + e.getMessage(), e);
        }
    }

    private Object toValue(Node node) {
        String tag = node.getTag().getValue();
        String intrinsic = SHORT_FORMS.get(tag);
        if (intrinsic != null) {
            return shortFormIntrinsic(tag, intrinsic, node);
        }
        if (tag.startsWith("!")) {
            throw new TemplateException(
                    sourceName,
                    line(node),
                    null,
                    "unknown tag " + tag + ": CloudFormation knows the short forms "
                            + String.join(
                                    " ", SHORT_FORMS.keySet().stream().sorted().toList()));
        }
        if (!nodesInProgress.add(node)) {
            throw new TemplateException(
                    sourceName,
                    line(node),
                    null,
                    "a YAML alias refers to a node that contains it; CloudFormation templates cannot be recursive");
        }
        try {
            switch (node.getNodeId()) {
                case scalar:
                    return scalar((ScalarNode) node);
                case sequence:
                    return sequence((SequenceNode) node);
                case mapping:
                    return mapping((MappingNode) node);
                default:
                    throw new TemplateException(
                            sourceName, line(node), null, "unsupported YAML node " + node.getNodeId());
            }
        } finally {
            nodesInProgress.remove(node);
        }
    }

    private Object shortFormIntrinsic(String tag, String longForm, Node node) {
        Object argument;
        if (node instanceof ScalarNode scalar) {
            argument = scalar.getValue(); // arguments of a short form are strings: `!Ref 1` refers to "1"
            if (longForm.equals("Fn::GetAtt")) {
                argument = splitGetAtt(scalar);
            }
        } else {
            if (longForm.equals("Ref") || longForm.equals("Condition")) {
                throw new TemplateException(
                        sourceName,
                        line(node),
                        null,
                        "bad intrinsic: " + tag + " takes a name, not a " + node.getNodeId());
            }
            nodesInProgress.add(node);
            try {
                argument = node instanceof SequenceNode seq ? sequence(seq) : mapping((MappingNode) node);
            } finally {
                nodesInProgress.remove(node);
            }
        }
        Map<String, Object> call = Collections.singletonMap(longForm, argument);
        lines.record(call, line(node));
        return call;
    }

    private List<Object> splitGetAtt(ScalarNode scalar) {
        String value = scalar.getValue();
        int dot = value.indexOf('.');
        if (dot <= 0 || dot == value.length() - 1) {
            throw new TemplateException(
                    sourceName,
                    line(scalar),
                    null,
                    "bad intrinsic: !GetAtt expects LogicalId.Attribute, got '" + value + "'");
        }
        List<Object> parts = List.of(value.substring(0, dot), value.substring(dot + 1));
        lines.record(parts, line(scalar));
        return parts;
    }

    private Object scalar(ScalarNode node) {
        String value = node.getValue();
        Tag tag = node.getTag();
        if (tag.equals(PLAIN_SCALAR)) {
            return plainScalar(value);
        }
        if (tag.equals(Tag.STR)) {
            return value;
        }
        if (tag.equals(Tag.INT) && INTEGER.matcher(value).matches()) {
            return integer(value);
        }
        if (tag.equals(Tag.FLOAT)
                && (DECIMAL.matcher(value).matches() || INTEGER.matcher(value).matches())) {
            return Double.valueOf(value);
        }
        if (tag.equals(Tag.BOOL) && BOOLEAN.matcher(value).matches()) {
            return Boolean.valueOf(value.toLowerCase());
        }
        if (tag.equals(Tag.NULL) && NULL.matcher(value).matches()) {
            return null;
        }
        throw new TemplateException(
                sourceName, line(node), null, "value '" + value + "' does not match its tag " + tag.getValue());
    }

    private static Object plainScalar(String value) {
        if (BOOLEAN.matcher(value).matches()) {
            return Boolean.valueOf(value.toLowerCase());
        }
        if (NULL.matcher(value).matches()) {
            return null;
        }
        if (INTEGER.matcher(value).matches()) {
            return integer(value);
        }
        if (DECIMAL.matcher(value).matches()) {
            return Double.valueOf(value);
        }
        return value;
    }

    private static Number integer(String value) {
        BigInteger big = new BigInteger(value.startsWith("+") ? value.substring(1) : value);
        if (big.bitLength() < 32) {
            return big.intValue();
        }
        return big.bitLength() < 64 ? (Number) big.longValue() : big;
    }

    private List<Object> sequence(SequenceNode node) {
        List<Object> items = new ArrayList<>(node.getValue().size());
        for (Node item : node.getValue()) {
            items.add(toValue(item));
        }
        List<Object> result = Collections.unmodifiableList(items);
        lines.record(result, line(node));
        return result;
    }

    private Map<String, Object> mapping(MappingNode node) {
        Map<String, Object> entries = new LinkedHashMap<>();
        Map<String, Integer> keyLines = new LinkedHashMap<>();
        for (NodeTuple tuple : node.getValue()) {
            Node keyNode = tuple.getKeyNode();
            if (!(keyNode instanceof ScalarNode keyScalar)
                    || SHORT_FORMS.containsKey(keyNode.getTag().getValue())) {
                throw new TemplateException(
                        sourceName,
                        line(keyNode),
                        null,
                        "mapping keys must be plain names, found a " + keyNode.getNodeId() + " "
                                + keyNode.getTag().getValue());
            }
            String key = keyScalar.getValue();
            Integer previous = keyLines.putIfAbsent(key, line(keyNode));
            if (previous != null) {
                throw new TemplateException(
                        sourceName,
                        line(keyNode),
                        null,
                        "duplicate key '" + key + "' (first defined on line " + previous + ")");
            }
            entries.put(key, toValue(tuple.getValueNode()));
        }
        Map<String, Object> result = Collections.unmodifiableMap(entries);
        lines.record(result, line(node));
        lines.recordKeys(result, keyLines);
        return result;
    }

    private static int line(Node node) {
        return node.getStartMark() == null ? 0 : node.getStartMark().getLine() + 1;
    }

    /** Leaves plain scalars untyped (typed by {@link #plainScalar}) instead of applying YAML 1.1 rules. */
    private static final class CloudFormationResolver extends Resolver {
        @Override
        public Tag resolve(NodeId kind, String value, boolean implicit) {
            if (kind == NodeId.scalar && implicit) {
                return PLAIN_SCALAR;
            }
            return super.resolve(kind, value, implicit);
        }
    }
}
