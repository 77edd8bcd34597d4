package io.github.iottelemetry.iotrules.sql;

import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.github.iottelemetry.iotrules.IotSqlParseException;
import io.github.iottelemetry.iotrules.eval.Values;
import io.github.iottelemetry.iotrules.functions.IotSqlFunction;
import io.github.iottelemetry.iotrules.functions.IotSqlFunctions;
import io.github.iottelemetry.iotrules.functions.NotEmulatedFunction;
import io.github.iottelemetry.iotrules.topic.TopicFilter;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Recursive-descent parser for IoT SQL. Precedence, loosest first: OR, AND, NOT, comparisons
 * ({@code = <> != < <= > >=}), {@code + -}, {@code * / %}, unary minus, then postfix {@code .name} and
 * {@code [index]}. Every error names the 1-based position of the token that broke the grammar.
 */
public final class IotSqlParser {

    /** Words that cannot be bare field names; VALUE is a keyword only right after SELECT. */
    private static final Set<String> RESERVED = Set.of(
            "select", "from", "where", "as", "and", "or", "not", "case", "when", "then", "else", "end", "true", "false",
            "null");

    private final String source;
    private final IotSqlLexer lexer;
    private final List<Token> lookahead = new ArrayList<>();

    private IotSqlParser(String source, int start) {
        this.source = source;
        this.lexer = new IotSqlLexer(source, start);
    }

    /** Parses a whole rule statement; the statement must be all of {@code sql}. */
    public static ParsedStatement parseStatement(String sql) {
        IotSqlParser parser = new IotSqlParser(sql, 0);
        ParsedStatement statement = parser.statement();
        parser.expect(TokenType.END_OF_INPUT, "end of statement");
        return statement;
    }

    /** The expression of a substitution template: starts at {@code start}, must end with '}'. */
    public record EmbeddedExpression(Expression expression, int endOffset) {}

    public static EmbeddedExpression parseEmbeddedExpression(String source, int start) {
        IotSqlParser parser = new IotSqlParser(source, start);
        Expression expression = parser.expression();
        Token closing = parser.expect(TokenType.RIGHT_BRACE, "'}' closing the substitution");
        return new EmbeddedExpression(expression, closing.offset() + 1);
    }

    private ParsedStatement statement() {
        expectKeyword("SELECT");
        SelectClause select = selectList();
        String from = null;
        int fromOffset = -1;
        if (acceptKeyword("FROM")) {
            Token filter = expect(TokenType.STRING, "a quoted topic filter after FROM, e.g. FROM 'dt/telemetry/+'");
            try {
                TopicFilter.parse(filter.text());
            } catch (IllegalArgumentException invalid) {
                throw error(filter, invalid.getMessage());
            }
            from = filter.text();
            fromOffset = filter.offset();
        }
        Expression where = acceptKeyword("WHERE") ? expression() : null;
        if (peek().type() != TokenType.END_OF_INPUT) {
            String expected = from == null && where == null
                    ? "FROM, WHERE or end of statement"
                    : where == null ? "WHERE or end of statement" : "end of statement";
            throw error(peek(), "expected " + expected + ", found " + peek().describe());
        }
        return new ParsedStatement(select, from, fromOffset, where);
    }

    private SelectClause selectList() {
        boolean value = peek().isKeyword("VALUE") && startsValueExpression(peek(1));
        if (value) {
            next();
            Token start = peek();
            Expression expression = expression();
            if (peek().isKeyword("AS")) {
                throw error(peek(), "SELECT VALUE produces a bare value: it takes no alias");
            }
            if (peek().type() == TokenType.COMMA) {
                throw error(peek(), "SELECT VALUE takes exactly one expression");
            }
            return new SelectClause(
                    true, List.of(new SelectClause.Projection(expression, defaultKey(expression, start, 1))));
        }
        List<SelectClause.SelectItem> items = new ArrayList<>();
        Set<String> keys = new HashSet<>();
        do {
            if (peek().type() == TokenType.STAR) {
                next();
                items.add(new SelectClause.Wildcard());
                continue;
            }
            Token start = peek();
            Expression expression = expression();
            String key;
            if (acceptKeyword("AS")) {
                Token alias = next();
                if (alias.type() == TokenType.STRING || (alias.type() == TokenType.IDENTIFIER && !isReserved(alias))) {
                    key = alias.text();
                } else {
                    throw error(alias, "expected an alias name after AS, found " + alias.describe());
                }
            } else {
                key = defaultKey(expression, start, items.size() + 1);
            }
            if (!keys.add(key)) {
                throw error(start, "duplicate output name '" + key + "' in SELECT");
            }
            items.add(new SelectClause.Projection(expression, key));
        } while (accept(TokenType.COMMA));
        return new SelectClause(false, List.copyOf(items));
    }

    /** Whether VALUE after SELECT is the keyword (SELECT VALUE color) rather than a field (SELECT value FROM ...). */
    private static boolean startsValueExpression(Token next) {
        return switch (next.type()) {
            case STRING, INTEGER, DECIMAL, LEFT_PAREN, LEFT_BRACKET, LEFT_BRACE -> true;
            case IDENTIFIER ->
                !(next.isKeyword("FROM")
                        || next.isKeyword("AS")
                        || next.isKeyword("WHERE")
                        || next.isKeyword("AND")
                        || next.isKeyword("OR"));
            default -> false;
        };
    }

    /**
     * The output key of an item without AS: the field's last name for a path, the function's name for a call;
     * for any other expression the docs say nothing, so it is "_" and the item's 1-based position.
     */
    private static String defaultKey(Expression expression, Token start, int position) {
        if (expression instanceof Expression.FieldReference field) {
            return field.name();
        }
        if (expression instanceof Expression.MemberAccess member) {
            return member.name();
        }
        if (expression instanceof Expression.FunctionCall call) {
            return call.function().name();
        }
        if (expression instanceof Expression.Cast) {
            return "cast";
        }
        return "_" + position;
    }

    private Expression expression() {
        return or();
    }

    private Expression or() {
        Expression left = and();
        while (acceptKeyword("OR")) {
            left = new Expression.Binary(BinaryOperator.OR, left, and());
        }
        return left;
    }

    private Expression and() {
        Expression left = not();
        while (acceptKeyword("AND")) {
            left = new Expression.Binary(BinaryOperator.AND, left, not());
        }
        return left;
    }

    private Expression not() {
        if (acceptKeyword("NOT")) {
            return new Expression.Not(not());
        }
        return comparison();
    }

    private Expression comparison() {
        Expression left = additive();
        while (true) {
            BinaryOperator operator = switch (peek().type()) {
                case EQUAL -> BinaryOperator.EQUAL;
                case NOT_EQUAL -> BinaryOperator.NOT_EQUAL;
                case LESS -> BinaryOperator.LESS;
                case LESS_EQUAL -> BinaryOperator.LESS_EQUAL;
                case GREATER -> BinaryOperator.GREATER;
                case GREATER_EQUAL -> BinaryOperator.GREATER_EQUAL;
                default -> null;
            };
            if (operator == null) {
                return left;
            }
            next();
            left = new Expression.Binary(operator, left, additive());
        }
    }

    private Expression additive() {
        Expression left = multiplicative();
        while (true) {
            BinaryOperator operator = switch (peek().type()) {
                case PLUS -> BinaryOperator.ADD;
                case MINUS -> BinaryOperator.SUBTRACT;
                default -> null;
            };
            if (operator == null) {
                return left;
            }
            next();
            left = new Expression.Binary(operator, left, multiplicative());
        }
    }

    private Expression multiplicative() {
        Expression left = unary();
        while (true) {
            BinaryOperator operator = switch (peek().type()) {
                case STAR -> BinaryOperator.MULTIPLY;
                case SLASH -> BinaryOperator.DIVIDE;
                case PERCENT -> BinaryOperator.MODULO;
                default -> null;
            };
            if (operator == null) {
                return left;
            }
            next();
            left = new Expression.Binary(operator, left, unary());
        }
    }

    private Expression unary() {
        if (peek().type() == TokenType.MINUS) {
            next();
            Token operand = peek();
            if (operand.type() == TokenType.INTEGER || operand.type() == TokenType.DECIMAL) {
                next();
                return postfix(numberLiteral(operand, true));
            }
            return new Expression.Negate(unary());
        }
        return postfix(primary());
    }

    private Expression postfix(Expression target) {
        while (true) {
            if (accept(TokenType.DOT)) {
                Token name = next();
                if (name.type() != TokenType.IDENTIFIER) {
                    throw error(
                            name,
                            "expected a field name after '.', found " + name.describe()
                                    + " (for names with hyphens or digits use get(object, 'name'))");
                }
                target = new Expression.MemberAccess(target, name.text());
            } else if (accept(TokenType.LEFT_BRACKET)) {
                Expression index = expression();
                expect(TokenType.RIGHT_BRACKET, "']' closing the index");
                target = new Expression.IndexAccess(target, index);
            } else {
                return target;
            }
        }
    }

    private Expression primary() {
        Token token = next();
        switch (token.type()) {
            case INTEGER:
            case DECIMAL:
                return numberLiteral(token, false);
            case STRING:
                return new Expression.Literal(TextNode.valueOf(token.text()));
            case LEFT_PAREN: {
                if (peek().isKeyword("SELECT")) {
                    return nestedSelect();
                }
                Expression inner = expression();
                expect(TokenType.RIGHT_PAREN, "')'");
                return inner;
            }
            case LEFT_BRACKET:
                return arrayLiteral();
            case LEFT_BRACE:
                return objectLiteral();
            case IDENTIFIER:
                return identifierExpression(token);
            default:
                throw error(token, "expected an expression, found " + token.describe());
        }
    }

    private Expression identifierExpression(Token token) {
        String word = token.text().toLowerCase(Locale.ROOT);
        switch (word) {
            case "true":
                return new Expression.Literal(BooleanNode.TRUE);
            case "false":
                return new Expression.Literal(BooleanNode.FALSE);
            case "null":
                return new Expression.Literal(NullNode.getInstance());
            case "case":
                return caseExpression();
            default:
                break;
        }
        if (peek().type() == TokenType.LEFT_PAREN) {
            next();
            return word.equals("cast") ? castExpression(token) : functionCall(token);
        }
        if (RESERVED.contains(word)) {
            throw error(
                    token,
                    "expected an expression, found keyword " + token.text().toUpperCase(Locale.ROOT));
        }
        return new Expression.FieldReference(token.text());
    }

    private Expression functionCall(Token name) {
        IotSqlFunction function = IotSqlFunctions.find(name.text()).orElseThrow(() -> unknownFunction(name));
        List<Expression> arguments = new ArrayList<>();
        if (!accept(TokenType.RIGHT_PAREN)) {
            do {
                arguments.add(functionArgument());
            } while (accept(TokenType.COMMA));
            expect(TokenType.RIGHT_PAREN, "',' or ')' in the arguments of " + function.name() + "()");
        }
        int count = arguments.size();
        if (count < function.minArguments() || count > function.maxArguments()) {
            String expected = function.minArguments() == function.maxArguments()
                    ? String.valueOf(function.minArguments())
                    : function.minArguments() + " to " + function.maxArguments();
            throw error(name, function.name() + "() takes " + expected + " argument(s), got " + count);
        }
        String rejected = function.rejectArguments(arguments);
        if (rejected != null) {
            throw error(name, rejected);
        }
        return new Expression.FunctionCall(function, List.copyOf(arguments));
    }

    private IotSqlParseException unknownFunction(Token name) {
        return NotEmulatedFunction.find(name.text())
                .map(notEmulated -> error(name, notEmulated.refusal()))
                .orElseGet(() -> error(
                        name,
                        "unknown function '" + name.text()
                                + "' (`pipeline iot sql --functions` lists the functions this engine implements)"));
    }

    /** An argument, or {@code *} standing alone for the whole payload ({@code encode(*, 'base64')}). */
    private Expression functionArgument() {
        if (peek().type() == TokenType.STAR
                && (peek(1).type() == TokenType.COMMA || peek(1).type() == TokenType.RIGHT_PAREN)) {
            next();
            return new Expression.WholePayload();
        }
        return expression();
    }

    private Expression castExpression(Token name) {
        Expression value = expression();
        expectKeyword("AS");
        Token type = next();
        CastType castType = type.type() == TokenType.IDENTIFIER
                ? CastType.forKeyword(type.text()).orElse(null)
                : null;
        if (castType == null) {
            throw error(type, "unknown cast type " + type.describe() + " (one of: " + CastType.keywords() + ")");
        }
        expect(TokenType.RIGHT_PAREN, "')' closing cast(");
        return new Expression.Cast(value, castType);
    }

    private Expression caseExpression() {
        Expression subject = peek().isKeyword("WHEN") ? null : expression();
        List<Expression.WhenClause> whens = new ArrayList<>();
        while (acceptKeyword("WHEN")) {
            Expression when = expression();
            expectKeyword("THEN");
            whens.add(new Expression.WhenClause(when, expression()));
        }
        if (whens.isEmpty()) {
            throw error(peek(), "CASE needs at least one WHEN, found " + peek().describe());
        }
        Expression otherwise = acceptKeyword("ELSE") ? expression() : null;
        expectKeyword("END");
        return new Expression.Case(subject, List.copyOf(whens), otherwise);
    }

    private Expression arrayLiteral() {
        List<Expression> elements = new ArrayList<>();
        if (!accept(TokenType.RIGHT_BRACKET)) {
            do {
                elements.add(expression());
            } while (accept(TokenType.COMMA));
            expect(TokenType.RIGHT_BRACKET, "',' or ']' in the array");
        }
        return new Expression.ArrayLiteral(List.copyOf(elements));
    }

    private Expression objectLiteral() {
        List<Expression.ObjectMember> members = new ArrayList<>();
        if (!accept(TokenType.RIGHT_BRACE)) {
            do {
                Token key = next();
                if (key.type() != TokenType.STRING && key.type() != TokenType.IDENTIFIER) {
                    throw error(key, "expected a quoted key in the object, found " + key.describe());
                }
                expect(TokenType.COLON, "':' after the object key");
                members.add(new Expression.ObjectMember(key.text(), expression()));
            } while (accept(TokenType.COMMA));
            expect(TokenType.RIGHT_BRACE, "',' or '}' in the object");
        }
        return new Expression.ObjectLiteral(List.copyOf(members));
    }

    /** {@code (SELECT [VALUE] items FROM path [WHERE condition])}; the opening '(' is consumed. */
    private Expression nestedSelect() {
        expectKeyword("SELECT");
        SelectClause select = selectList();
        expectKeyword("FROM");
        Expression source = expression();
        Expression where = acceptKeyword("WHERE") ? expression() : null;
        expect(TokenType.RIGHT_PAREN, "')' closing the nested SELECT");
        return new Expression.NestedSelect(select, source, where);
    }

    private Expression numberLiteral(Token token, boolean negative) {
        String text = negative ? "-" + token.text() : token.text();
        if (token.type() == TokenType.INTEGER) {
            return new Expression.Literal(Values.integer(new BigInteger(text)));
        }
        return new Expression.Literal(Values.decimal(new BigDecimal(text)));
    }

    private static boolean isReserved(Token token) {
        return RESERVED.contains(token.text().toLowerCase(Locale.ROOT));
    }

    private Token peek() {
        return peek(0);
    }

    private Token peek(int ahead) {
        while (lookahead.size() <= ahead) {
            lookahead.add(lexer.next());
        }
        return lookahead.get(ahead);
    }

    private Token next() {
        Token token = peek();
        lookahead.remove(0);
        return token;
    }

    private boolean accept(TokenType type) {
        if (peek().type() == type) {
            next();
            return true;
        }
        return false;
    }

    private boolean acceptKeyword(String keyword) {
        if (peek().isKeyword(keyword)) {
            next();
            return true;
        }
        return false;
    }

    private Token expect(TokenType type, String what) {
        Token token = peek();
        if (token.type() != type) {
            throw error(token, "expected " + what + ", found " + token.describe());
        }
        return next();
    }

    private void expectKeyword(String keyword) {
        Token token = peek();
        if (!token.isKeyword(keyword)) {
            throw error(token, "expected " + keyword + ", found " + token.describe());
        }
        next();
    }

    private IotSqlParseException error(Token at, String reason) {
        return IotSqlParseException.at(source, at.offset(), reason);
    }
}
