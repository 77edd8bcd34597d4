package io.github.iottelemetry.iotrules.sql;

/** Lexical classes of IoT SQL. Keywords are identifiers; the parser decides by context (VALUE, END). */
public enum TokenType {
    IDENTIFIER("an identifier"),
    STRING("a string"),
    INTEGER("a number"),
    DECIMAL("a number"),
    LEFT_PAREN("'('"),
    RIGHT_PAREN("')'"),
    LEFT_BRACKET("'['"),
    RIGHT_BRACKET("']'"),
    LEFT_BRACE("'{'"),
    RIGHT_BRACE("'}'"),
    COMMA("','"),
    DOT("'.'"),
    COLON("':'"),
    STAR("'*'"),
    PLUS("'+'"),
    MINUS("'-'"),
    SLASH("'/'"),
    PERCENT("'%'"),
    EQUAL("'='"),
    NOT_EQUAL("'<>'"),
    LESS("'<'"),
    LESS_EQUAL("'<='"),
    GREATER("'>'"),
    GREATER_EQUAL("'>='"),
    END_OF_INPUT("end of input");

    private final String description;

    TokenType(String description) {
        this.description = description;
    }

    public String description() {
        return description;
    }
}
