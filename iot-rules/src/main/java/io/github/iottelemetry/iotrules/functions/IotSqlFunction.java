package io.github.iottelemetry.iotrules.functions;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.iottelemetry.iotrules.MessageContext;

/**
 * A built-in IoT SQL function. Arguments arrive evaluated; a null argument or result means Undefined.
 * The argument count is checked when the SQL is parsed, so a rule with {@code topic(1, 2)} fails at
 * {@code pipeline up}, not on the first message.
 */
public interface IotSqlFunction {

    String name();

    int minArguments();

    /** {@link Integer#MAX_VALUE} for concat(), which takes any number. */
    int maxArguments();

    JsonNode apply(JsonNode[] arguments, MessageContext message);
}
