package io.github.iottelemetry.iotrules.functions.collections;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.github.iottelemetry.iotrules.eval.Json;
import io.github.iottelemetry.iotrules.eval.Values;
import io.github.iottelemetry.iotrules.functions.FunctionTable;

/** Functions over arrays, objects and strings as collections: get, concat, transform. */
public final class CollectionFunctions {

    /** The one transformation mode of transform() in the reference. */
    static final String ENRICH_ARRAY = "enrichArray";

    private CollectionFunctions() {}

    public static void addTo(FunctionTable table) {
        table.add(
                "get(collection, key)",
                "array element or string character at a 0-based index, or object member",
                2,
                2,
                (args, message) -> Values.detach(Values.get(args[0], args[1])));
        table.add(
                "concat(...)",
                "one array when an argument is an array, else the arguments' strings joined",
                0,
                Integer.MAX_VALUE,
                (args, message) -> concat(args));
        table.add(
                "transform(String, Object, Array)",
                "'enrichArray': each object of the array with the object's members added",
                3,
                3,
                (args, message) -> transform(args[0], args[1], args[2]));
    }

    /**
     * concat(): with an Array among the arguments, one array of all arguments (arrays spliced in); otherwise
     * the concatenation of their string conversions. One argument: the docs' example {@code concat(1) = "1"}.
     */
    private static JsonNode concat(JsonNode[] args) {
        if (args.length == 0) {
            return null;
        }
        boolean anyArray = false;
        for (JsonNode arg : args) {
            anyArray |= arg != null && arg.isArray();
        }
        if (anyArray) {
            ArrayNode result = Json.NODES.arrayNode();
            for (JsonNode arg : args) {
                if (arg == null) {
                    continue;
                }
                if (arg.isArray()) {
                    arg.forEach(element -> result.add(element.deepCopy()));
                } else {
                    result.add(arg.deepCopy());
                }
            }
            return result;
        }
        StringBuilder text = new StringBuilder();
        for (JsonNode arg : args) {
            String part = Values.toText(arg);
            if (part == null) {
                return null;
            }
            text.append(part);
        }
        return TextNode.valueOf(text.toString());
    }

    /**
     * transform('enrichArray', Object, Array): each element of the array (which must all be objects) with the
     * object's members added after its own; any other mode or argument type is Undefined. When both have a key,
     * the object's value is kept, since the object's attributes are what the mode applies to each element.
     */
    private static JsonNode transform(JsonNode mode, JsonNode attributes, JsonNode array) {
        if (mode == null
                || !mode.isTextual()
                || !ENRICH_ARRAY.equals(mode.textValue())
                || attributes == null
                || !attributes.isObject()
                || array == null
                || !array.isArray()) {
            return null;
        }
        ArrayNode result = Json.NODES.arrayNode(array.size());
        for (JsonNode element : array) {
            if (!element.isObject()) {
                return null;
            }
            ObjectNode enriched = element.deepCopy();
            attributes
                    .properties()
                    .forEach(member ->
                            enriched.set(member.getKey(), member.getValue().deepCopy()));
            result.add(enriched);
        }
        return result;
    }
}
