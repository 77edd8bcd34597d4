package io.github.iottelemetry.iotrules.sql;

/**
 * One lexical token. {@code text} is the decoded value for strings and the source text otherwise;
 * {@code offset} is the 0-based position of its first character in the source.
 */
public record Token(TokenType type, String text, int offset) {

    public boolean isKeyword(String keyword) {
        return type == TokenType.IDENTIFIER && text.equalsIgnoreCase(keyword);
    }

    /** How the token reads in an error message. */
    public String describe() {
        return switch (type) {
            case END_OF_INPUT -> "end of input";
            case STRING -> "string '" + text + "'";
            default -> "'" + text + "'";
        };
    }
}
