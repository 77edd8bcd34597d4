package io.github.iottelemetry.iotrules.eval;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import io.github.iottelemetry.iotrules.MessageContext;
import io.github.iottelemetry.iotrules.sql.SelectClause;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * The fast path for {@code SELECT *, <computed> AS k, ...} when no computed item reads the payload (the
 * pipeline's rule adds topic(3) and timestamp()): instead of parsing the payload into a tree and writing it
 * again, it checks the payload is one JSON object in UTF-8 with no member named like an added key (a
 * streaming pass, no tree), then copies the bytes and writes the added members before the closing brace.
 * The result is the same JSON as the general path's (whitespace and number spelling of the payload are kept
 * as sent); when any check fails it answers null and the caller takes the general path.
 */
public final class SelectStarSplicer {

    private static final JsonFactory FACTORY = Json.MAPPER.getFactory();

    private final List<SelectClause.Projection> projections;
    private final String[] keys;
    private final byte[][] encodedKeys;

    private SelectStarSplicer(List<SelectClause.Projection> projections) {
        this.projections = projections;
        this.keys = new String[projections.size()];
        this.encodedKeys = new byte[projections.size()][];
        for (int i = 0; i < keys.length; i++) {
            keys[i] = projections.get(i).outputKey();
            encodedKeys[i] = jsonString(keys[i]);
        }
    }

    /** A splicer when the SELECT list is {@code *} followed by payload-independent projections; otherwise null. */
    public static SelectStarSplicer forSelect(SelectClause select) {
        List<SelectClause.SelectItem> items = select.items();
        if (select.value() || items.size() < 2 || !(items.get(0) instanceof SelectClause.Wildcard)) {
            return null;
        }
        List<SelectClause.SelectItem> rest = items.subList(1, items.size());
        for (SelectClause.SelectItem item : rest) {
            if (!(item instanceof SelectClause.Projection projection)
                    || projection.expression().readsPayload()) {
                return null;
            }
        }
        return new SelectStarSplicer(
                rest.stream().map(SelectClause.Projection.class::cast).toList());
    }

    /** The output bytes, or null when the payload is not a plain JSON object or already has an added key. */
    public byte[] splice(MessageContext message) {
        byte[] payload = message.payload();
        int first = 0;
        while (first < payload.length && isJsonWhitespace(payload[first])) {
            first++;
        }
        if (first == payload.length || payload[first] != '{') {
            return null;
        }
        int closingBrace;
        boolean emptyObject = true;
        try (JsonParser parser = FACTORY.createParser(payload)) {
            parser.nextToken();
            JsonToken token;
            while ((token = parser.nextToken()) == JsonToken.FIELD_NAME) {
                String name = parser.currentName();
                for (String key : keys) {
                    if (key.equals(name)) {
                        return null;
                    }
                }
                emptyObject = false;
                if (parser.nextToken().isStructStart()) {
                    parser.skipChildren();
                }
            }
            if (token != JsonToken.END_OBJECT) {
                return null;
            }
            closingBrace = (int) parser.currentTokenLocation().getByteOffset();
            if (parser.nextToken() != null) {
                return null;
            }
        } catch (IOException notAJsonObject) {
            return null;
        }

        byte[][] values = new byte[projections.size()][];
        int added = 0;
        for (int i = 0; i < values.length; i++) {
            JsonNode value = Evaluator.evaluate(projections.get(i).expression(), MissingNode.getInstance(), message);
            if (value != null) {
                values[i] = jsonValue(value);
                added += 1 + encodedKeys[i].length + 1 + values[i].length;
            }
        }
        byte[] output = new byte[payload.length + added];
        System.arraycopy(payload, 0, output, 0, closingBrace);
        int position = closingBrace;
        for (int i = 0; i < values.length; i++) {
            if (values[i] == null) {
                continue;
            }
            if (!emptyObject) {
                output[position++] = ',';
            }
            emptyObject = false;
            System.arraycopy(encodedKeys[i], 0, output, position, encodedKeys[i].length);
            position += encodedKeys[i].length;
            output[position++] = ':';
            System.arraycopy(values[i], 0, output, position, values[i].length);
            position += values[i].length;
        }
        System.arraycopy(payload, closingBrace, output, position, payload.length - closingBrace);
        position += payload.length - closingBrace;
        // An empty payload object has no comma to write, so the estimate may be one byte per member too large.
        return position == output.length ? output : Arrays.copyOf(output, position);
    }

    private static byte[] jsonValue(JsonNode value) {
        if (value.isTextual()) {
            return jsonString(value.textValue());
        }
        if (value.isIntegralNumber()) {
            return value.bigIntegerValue().toString().getBytes(StandardCharsets.US_ASCII);
        }
        return Json.writeBytes(value);
    }

    /** A JSON string literal in UTF-8; plain text (the common case: thing names) is encoded without a builder. */
    static byte[] jsonString(String text) {
        boolean plain = true;
        for (int i = 0; i < text.length() && plain; i++) {
            char c = text.charAt(i);
            plain = c >= 0x20 && c != '"' && c != '\\' && c < 0x7f;
        }
        if (!plain) {
            return Json.writeBytes(Json.NODES.textNode(text));
        }
        byte[] bytes = new byte[text.length() + 2];
        bytes[0] = '"';
        for (int i = 0; i < text.length(); i++) {
            bytes[i + 1] = (byte) text.charAt(i);
        }
        bytes[bytes.length - 1] = '"';
        return bytes;
    }

    private static boolean isJsonWhitespace(byte b) {
        return b == ' ' || b == '\t' || b == '\n' || b == '\r';
    }
}
