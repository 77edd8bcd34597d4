package io.github.iottelemetry.iotrules.functions.crypto;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.BinaryNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.github.iottelemetry.iotrules.eval.Json;
import io.github.iottelemetry.iotrules.eval.Values;
import io.github.iottelemetry.iotrules.functions.FunctionTable;
import io.github.iottelemetry.iotrules.sql.Expression;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;

/**
 * encode(value, 'base64') and decode(value, 'base64'), the reference's only schemes that need no other service.
 * The scheme is "a literal string", so it is checked at parse time; decode's 'proto' scheme reads a Protobuf
 * descriptor from Amazon S3 and is refused there.
 */
public final class EncodingFunctions {

    static final String BASE64 = "base64";
    static final String PROTOBUF = "proto";

    /** Why decode(value, 'proto', ...) is refused; also listed by {@code pipeline iot sql --functions}. */
    public static final String PROTOBUF_REFUSAL =
            "decode(value, 'proto', ...) is not emulated by the local rules engine: "
                    + "it reads a Protobuf descriptor file from Amazon S3";

    private EncodingFunctions() {}

    public static void addTo(FunctionTable table) {
        table.add(
                "encode(value, encodingScheme)",
                "base64 of the value's string, or of the raw payload for *",
                2,
                2,
                arguments -> checkScheme("encode", arguments),
                (args, message) -> encode(args[0]));
        // decode(value, 'proto', bucket, key, file, message type) takes six; the parse-time check refuses 'proto'.
        table.add(
                "decode(value, decodingScheme)",
                "the base64-decoded value: a JSON value if it is JSON, else a string",
                2,
                6,
                arguments -> checkScheme("decode", arguments),
                (args, message) -> decode(args[0]));
    }

    private static String checkScheme(String function, List<Expression> arguments) {
        if (!(arguments.get(1) instanceof Expression.Literal literal)
                || !literal.value().isTextual()) {
            return function + "() takes its scheme as a literal string, e.g. " + function + "(value, '" + BASE64 + "')";
        }
        String scheme = literal.value().textValue();
        if (function.equals("decode") && scheme.equals(PROTOBUF)) {
            return PROTOBUF_REFUSAL;
        }
        if (!scheme.equals(BASE64)) {
            return function + "() supports the scheme '" + BASE64 + "' (and decode() also 'proto'), not '" + scheme
                    + "'";
        }
        if (arguments.size() != 2) {
            return function + "(value, '" + BASE64 + "') takes 2 arguments, got " + arguments.size();
        }
        return null;
    }

    /** {@code *} arrives as the raw payload bytes (any payload, JSON or not); any other value as its string, in UTF-8. */
    private static JsonNode encode(JsonNode value) {
        if (value instanceof BinaryNode rawPayload) {
            return TextNode.valueOf(Base64.getEncoder().encodeToString(rawPayload.binaryValue()));
        }
        String text = Values.toText(value);
        return text == null
                ? null
                : TextNode.valueOf(Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8)));
    }

    /** "Returns NULL if the string cannot be decoded": not base64, or bytes that are not UTF-8 text. */
    private static JsonNode decode(JsonNode value) {
        String text = Values.toText(value);
        if (text == null) {
            return null;
        }
        byte[] bytes;
        String decoded;
        try {
            bytes = Base64.getDecoder().decode(text);
            decoded = StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes))
                    .toString();
        } catch (IllegalArgumentException | CharacterCodingException notDecodable) {
            return NullNode.getInstance();
        }
        JsonNode json = Json.parsePayload(bytes);
        return json.isMissingNode() ? TextNode.valueOf(decoded) : json;
    }
}
