package io.github.iottelemetry.iotrules.functions.crypto;

import com.fasterxml.jackson.databind.node.TextNode;
import io.github.iottelemetry.iotrules.eval.Values;
import io.github.iottelemetry.iotrules.functions.FunctionTable;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The hashing functions: the digest of the argument's string conversion (UTF-8), as lower-case hex, like the
 * reference's {@code md5("hello") = "5d41402abc4b2a76b9719d911017c592"}. All come from the JDK's providers.
 */
public final class HashFunctions {

    private HashFunctions() {}

    public static void addTo(FunctionTable table) {
        add(table, "md2", "MD2");
        add(table, "md5", "MD5");
        add(table, "sha1", "SHA-1");
        add(table, "sha224", "SHA-224");
        add(table, "sha256", "SHA-256");
        add(table, "sha384", "SHA-384");
        add(table, "sha512", "SHA-512");
    }

    private static void add(FunctionTable table, String name, String algorithm) {
        requireAlgorithm(name, algorithm);
        table.add(name + "(String)", algorithm + " digest of the string, lower-case hex", 1, 1, (args, message) -> {
            String text = Values.toText(args[0]);
            return text == null ? null : TextNode.valueOf(HexFormat.of().formatHex(digest(algorithm, text)));
        });
    }

    private static byte[] digest(String algorithm, String text) {
        try {
            // MessageDigest instances are not thread-safe, and getInstance is cheap next to a rule's other work.
            return MessageDigest.getInstance(algorithm).digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException checkedAtStartup) {
            throw new IllegalStateException(checkedAtStartup);
        }
    }

    /** Fails when the class loads, not on a message, if this JVM lacks an algorithm. */
    private static void requireAlgorithm(String name, String algorithm) {
        try {
            MessageDigest.getInstance(algorithm);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(
                    "this JVM has no " + algorithm + " MessageDigest, which " + name + "() needs", e);
        }
    }
}
