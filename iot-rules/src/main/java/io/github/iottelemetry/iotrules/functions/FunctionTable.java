package io.github.iottelemetry.iotrules.functions;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.iottelemetry.iotrules.MessageContext;
import io.github.iottelemetry.iotrules.sql.Expression;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The functions of one engine, by lower-case name. Each capability class (math, strings, time ...) adds its
 * functions here; {@link IotSqlFunctions} holds the one table the parser uses.
 */
public final class FunctionTable {

    /** What a function computes from its evaluated arguments (null elements and a null result mean Undefined). */
    @FunctionalInterface
    public interface Body {
        JsonNode apply(JsonNode[] arguments, MessageContext message);
    }

    /** A parse-time check of the unevaluated arguments: the reason they cannot work, or null. */
    @FunctionalInterface
    public interface ArgumentCheck {
        String reject(List<Expression> arguments);
    }

    private final Map<String, IotSqlFunction> functions = new TreeMap<>();

    /**
     * Adds a function. {@code signature} is the reference's heading ({@code lpad(String, Int)}); the name is the
     * part before the parenthesis.
     */
    public void add(String signature, String summary, int min, int max, Body body) {
        add(signature, summary, min, max, arguments -> null, body);
    }

    public void add(String signature, String summary, int min, int max, ArgumentCheck check, Body body) {
        String name = signature.substring(0, signature.indexOf('(')).toLowerCase(Locale.ROOT);
        if (functions.containsKey(name)) {
            throw new IllegalStateException("function " + name + " registered twice");
        }
        functions.put(name, new Registered(name, signature, summary, min, max, check, body));
    }

    IotSqlFunction find(String lowerCaseName) {
        return functions.get(lowerCaseName);
    }

    Collection<IotSqlFunction> all() {
        return Collections.unmodifiableCollection(functions.values());
    }

    private record Registered(
            String name,
            String signature,
            String summary,
            int minArguments,
            int maxArguments,
            ArgumentCheck check,
            Body body)
            implements IotSqlFunction {

        @Override
        public String rejectArguments(List<Expression> arguments) {
            return check.reject(arguments);
        }

        @Override
        public JsonNode apply(JsonNode[] arguments, MessageContext message) {
            return body.apply(arguments, message);
        }

        @Override
        public String toString() {
            return name + "()";
        }
    }
}
