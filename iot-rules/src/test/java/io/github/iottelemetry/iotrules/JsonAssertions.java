package io.github.iottelemetry.iotrules;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.iottelemetry.iotrules.eval.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Comparator;

/** JSON equality for tests: numbers compare by value (3.0 equals 3, as JSON numbers do), everything else exactly. */
public final class JsonAssertions {

    private static final Comparator<JsonNode> NUMBERS_BY_VALUE = (a, b) -> {
        if (a.isNumber() && b.isNumber()) {
            return a.decimalValue().compareTo(b.decimalValue());
        }
        return a.equals(b) ? 0 : 1;
    };

    private JsonAssertions() {}

    public static void assertJsonEquals(JsonNode actual, JsonNode expected, String description) {
        assertThat(actual.equals(NUMBERS_BY_VALUE, expected))
                .as("%s%n expected: %s%n   actual: %s", description, expected, actual)
                .isTrue();
    }

    public static JsonNode parse(byte[] json) {
        try {
            return Json.MAPPER.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException("not JSON: " + new String(json, java.nio.charset.StandardCharsets.UTF_8), e);
        }
    }
}
