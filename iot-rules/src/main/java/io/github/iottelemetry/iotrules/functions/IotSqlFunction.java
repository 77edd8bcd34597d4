package io.github.iottelemetry.iotrules.functions;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.iottelemetry.iotrules.MessageContext;
import io.github.iottelemetry.iotrules.sql.Expression;
import java.util.List;

/**
 * A built-in IoT SQL function. Arguments arrive evaluated; a null argument or result means Undefined.
 * The argument count (and, for a few functions, a literal argument such as encode()'s scheme) is checked when
 * the SQL is parsed, so a rule with {@code topic(1, 2)} fails at {@code pipeline up}, not on the first message.
 */
public interface IotSqlFunction {

    /** The lower-case name the parser looks up. */
    String name();

    /** The reference's heading for the function, e.g. {@code substring(String, Int[, Int])}. */
    String signature();

    /** One line on what it returns, for {@code pipeline iot sql --functions}. */
    String summary();

    int minArguments();

    /** {@link Integer#MAX_VALUE} for concat(), which takes any number. */
    int maxArguments();

    /** Why these (unevaluated) arguments cannot work, or null when they can; asked once, at parse time. */
    String rejectArguments(List<Expression> arguments);

    JsonNode apply(JsonNode[] arguments, MessageContext message);
}
