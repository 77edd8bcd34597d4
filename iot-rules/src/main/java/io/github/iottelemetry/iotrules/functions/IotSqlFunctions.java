package io.github.iottelemetry.iotrules.functions;

import io.github.iottelemetry.iotrules.functions.collections.CollectionFunctions;
import io.github.iottelemetry.iotrules.functions.crypto.EncodingFunctions;
import io.github.iottelemetry.iotrules.functions.crypto.HashFunctions;
import io.github.iottelemetry.iotrules.functions.math.BitFunctions;
import io.github.iottelemetry.iotrules.functions.math.MathFunctions;
import io.github.iottelemetry.iotrules.functions.math.TrigonometricFunctions;
import io.github.iottelemetry.iotrules.functions.message.MessageFunctions;
import io.github.iottelemetry.iotrules.functions.strings.RegexFunctions;
import io.github.iottelemetry.iotrules.functions.strings.StringFunctions;
import io.github.iottelemetry.iotrules.functions.time.TimeFunctions;
import io.github.iottelemetry.iotrules.functions.types.TypeFunctions;
import java.util.Collection;
import java.util.Locale;
import java.util.Optional;

/**
 * The registry of built-in functions: every function of the iot-sql-functions page (SQL version 2016-03-23) that
 * needs no other AWS service, each as its section describes it, implemented in the capability packages below.
 * Names are case-insensitive ({@code Round(1.5)} in the docs). The rest are listed in {@link NotEmulatedFunction}.
 */
public final class IotSqlFunctions {

    /** The SQL version this engine implements, returned by sql_version(). */
    public static final String SQL_VERSION = "2016-03-23";

    private static final FunctionTable TABLE = new FunctionTable();

    static {
        MessageFunctions.addTo(TABLE);
        TypeFunctions.addTo(TABLE);
        MathFunctions.addTo(TABLE);
        TrigonometricFunctions.addTo(TABLE);
        BitFunctions.addTo(TABLE);
        StringFunctions.addTo(TABLE);
        RegexFunctions.addTo(TABLE);
        CollectionFunctions.addTo(TABLE);
        HashFunctions.addTo(TABLE);
        EncodingFunctions.addTo(TABLE);
        TimeFunctions.addTo(TABLE);
    }

    private IotSqlFunctions() {}

    public static Optional<IotSqlFunction> find(String name) {
        return Optional.ofNullable(TABLE.find(name.toLowerCase(Locale.ROOT)));
    }

    /** Every emulated function, by name. */
    public static Collection<IotSqlFunction> all() {
        return TABLE.all();
    }
}
