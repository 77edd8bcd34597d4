package io.github.iottelemetry.iotrules.functions.strings;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.github.iottelemetry.iotrules.eval.Values;
import io.github.iottelemetry.iotrules.functions.FunctionTable;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * regexp_matches, regexp_replace and regexp_substr with java.util.regex, whose syntax and "$1" group references
 * the reference's examples use. An argument that is not a valid expression (or replacement) gives Undefined.
 */
public final class RegexFunctions {

    /** Rules usually pass a literal pattern, so each distinct one is compiled once; bounded so a payload cannot grow it. */
    private static final int MAX_CACHED_PATTERNS = 256;

    private static final Map<String, Pattern> PATTERNS = new ConcurrentHashMap<>();

    private RegexFunctions() {}

    public static void addTo(FunctionTable table) {
        table.add(
                "regexp_matches(String, String)",
                "whether the string contains a match of the regular expression",
                2,
                2,
                withPattern(matcher -> BooleanNode.valueOf(matcher.find())));
        table.add(
                "regexp_substr(String, String)",
                "the first match of the regular expression (Undefined when none)",
                2,
                2,
                withPattern(matcher -> matcher.find() ? TextNode.valueOf(matcher.group()) : null));
        table.add(
                "regexp_replace(String, String, String)",
                "every match replaced by the third argument ($1 names a group)",
                3,
                3,
                (args, message) -> {
                    String replacement = Values.toText(args[2]);
                    if (replacement == null) {
                        return null;
                    }
                    return withPattern(matcher -> {
                                try {
                                    return TextNode.valueOf(matcher.replaceAll(replacement));
                                } catch (IllegalArgumentException | IndexOutOfBoundsException invalidReplacement) {
                                    return null;
                                }
                            })
                            .apply(args, message);
                });
    }

    private static FunctionTable.Body withPattern(Function<Matcher, JsonNode> operation) {
        return (args, message) -> {
            String text = Values.toText(args[0]);
            String regex = Values.toText(args[1]);
            if (text == null || regex == null) {
                return null;
            }
            Pattern pattern = compile(regex);
            return pattern == null ? null : operation.apply(pattern.matcher(text));
        };
    }

    private static Pattern compile(String regex) {
        Pattern cached = PATTERNS.get(regex);
        if (cached != null) {
            return cached;
        }
        try {
            Pattern pattern = Pattern.compile(regex);
            if (PATTERNS.size() < MAX_CACHED_PATTERNS) {
                PATTERNS.put(regex, pattern);
            }
            return pattern;
        } catch (PatternSyntaxException invalid) {
            return null;
        }
    }
}
