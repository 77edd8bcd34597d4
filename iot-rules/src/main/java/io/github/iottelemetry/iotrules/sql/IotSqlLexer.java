package io.github.iottelemetry.iotrules.sql;

import io.github.iottelemetry.iotrules.IotSqlParseException;
import java.util.ArrayList;
import java.util.List;

/**
 * Splits IoT SQL into tokens. Strings take single or double quotes (the AWS docs use both, e.g.
 * {@code get(mydata, "item2")}) with backslash escapes; identifiers are {@code [A-Za-z_][A-Za-z0-9_]*}.
 * Lexing can start at any offset and stops at the end of the source, which lets a substitution
 * template lex the expression inside {@code ${...}} in place.
 */
public final class IotSqlLexer {

    private final String source;
    private int position;

    public IotSqlLexer(String source, int start) {
        this.source = source;
        this.position = start;
    }

    public static List<Token> tokenize(String source) {
        return new IotSqlLexer(source, 0).tokenizeAll();
    }

    public List<Token> tokenizeAll() {
        List<Token> tokens = new ArrayList<>();
        Token token;
        do {
            token = next();
            tokens.add(token);
        } while (token.type() != TokenType.END_OF_INPUT);
        return tokens;
    }

    public Token next() {
        skipWhitespace();
        if (position >= source.length()) {
            return new Token(TokenType.END_OF_INPUT, "", source.length());
        }
        int start = position;
        char c = source.charAt(position);
        if (Character.isLetter(c) || c == '_') {
            while (position < source.length() && isIdentifierPart(source.charAt(position))) {
                position++;
            }
            return new Token(TokenType.IDENTIFIER, source.substring(start, position), start);
        }
        if (isDigit(c)) {
            return number(start);
        }
        if (c == '\'' || c == '"') {
            return string(start, c);
        }
        position++;
        return switch (c) {
            case '(' -> new Token(TokenType.LEFT_PAREN, "(", start);
            case ')' -> new Token(TokenType.RIGHT_PAREN, ")", start);
            case '[' -> new Token(TokenType.LEFT_BRACKET, "[", start);
            case ']' -> new Token(TokenType.RIGHT_BRACKET, "]", start);
            case '{' -> new Token(TokenType.LEFT_BRACE, "{", start);
            case '}' -> new Token(TokenType.RIGHT_BRACE, "}", start);
            case ',' -> new Token(TokenType.COMMA, ",", start);
            case '.' -> new Token(TokenType.DOT, ".", start);
            case ':' -> new Token(TokenType.COLON, ":", start);
            case '*' -> new Token(TokenType.STAR, "*", start);
            case '+' -> new Token(TokenType.PLUS, "+", start);
            case '-' -> new Token(TokenType.MINUS, "-", start);
            case '/' -> new Token(TokenType.SLASH, "/", start);
            case '%' -> new Token(TokenType.PERCENT, "%", start);
            case '=' -> new Token(TokenType.EQUAL, "=", start);
            case '!' -> {
                if (consume('=')) {
                    yield new Token(TokenType.NOT_EQUAL, "!=", start);
                }
                throw IotSqlParseException.at(source, start, "unexpected character '!' (did you mean '<>' or '!='?)");
            }
            case '<' -> {
                if (consume('>')) {
                    yield new Token(TokenType.NOT_EQUAL, "<>", start);
                }
                yield consume('=')
                        ? new Token(TokenType.LESS_EQUAL, "<=", start)
                        : new Token(TokenType.LESS, "<", start);
            }
            case '>' ->
                consume('=')
                        ? new Token(TokenType.GREATER_EQUAL, ">=", start)
                        : new Token(TokenType.GREATER, ">", start);
            default -> throw IotSqlParseException.at(source, start, "unexpected character '" + c + "'");
        };
    }

    private Token number(int start) {
        while (position < source.length() && isDigit(source.charAt(position))) {
            position++;
        }
        boolean decimal = false;
        if (position + 1 < source.length() && source.charAt(position) == '.' && isDigit(source.charAt(position + 1))) {
            decimal = true;
            position++;
            while (position < source.length() && isDigit(source.charAt(position))) {
                position++;
            }
        }
        if (position < source.length() && (source.charAt(position) == 'e' || source.charAt(position) == 'E')) {
            int exponentStart = position;
            position++;
            if (position < source.length() && (source.charAt(position) == '-' || source.charAt(position) == '+')) {
                position++;
            }
            if (position >= source.length() || !isDigit(source.charAt(position))) {
                throw IotSqlParseException.at(
                        source,
                        exponentStart,
                        "malformed number exponent in '" + source.substring(start, position) + "'");
            }
            while (position < source.length() && isDigit(source.charAt(position))) {
                position++;
            }
            decimal = true;
        }
        if (position < source.length() && isIdentifierPart(source.charAt(position))) {
            throw IotSqlParseException.at(
                    source,
                    position,
                    "unexpected character '" + source.charAt(position) + "' after number "
                            + source.substring(start, position));
        }
        return new Token(decimal ? TokenType.DECIMAL : TokenType.INTEGER, source.substring(start, position), start);
    }

    private Token string(int start, char quote) {
        position++;
        StringBuilder text = new StringBuilder();
        while (position < source.length()) {
            char c = source.charAt(position++);
            if (c == quote) {
                return new Token(TokenType.STRING, text.toString(), start);
            }
            if (c == '\\') {
                if (position >= source.length()) {
                    break;
                }
                char escaped = source.charAt(position++);
                switch (escaped) {
                    case 'n' -> text.append('\n');
                    case 't' -> text.append('\t');
                    case 'r' -> text.append('\r');
                    case 'b' -> text.append('\b');
                    case 'f' -> text.append('\f');
                    case 'u' -> {
                        if (position + 4 > source.length()) {
                            throw IotSqlParseException.at(source, position - 2, "incomplete \\u escape in string");
                        }
                        try {
                            text.append((char) Integer.parseInt(source.substring(position, position + 4), 16));
                        } catch (NumberFormatException e) {
                            throw IotSqlParseException.at(source, position - 2, "malformed \\u escape in string");
                        }
                        position += 4;
                    }
                    default -> text.append(escaped);
                }
            } else {
                text.append(c);
            }
        }
        throw IotSqlParseException.at(source, start, "unterminated string: missing closing " + quote);
    }

    private boolean consume(char expected) {
        if (position < source.length() && source.charAt(position) == expected) {
            position++;
            return true;
        }
        return false;
    }

    private void skipWhitespace() {
        while (position < source.length() && Character.isWhitespace(source.charAt(position))) {
            position++;
        }
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private static boolean isIdentifierPart(char c) {
        return Character.isLetterOrDigit(c) || c == '_';
    }
}
