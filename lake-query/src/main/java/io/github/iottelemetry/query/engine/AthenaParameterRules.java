package io.github.iottelemetry.query.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * What Athena accepts of a query with execution parameters, checked on the local engine so a query that runs here
 * also runs there. Athena's "Use parameterized queries" page, considerations and limitations: parameters are
 * positional {@code ?}, and "currently, ? parameters can be placed only in the WHERE clause" ({@code SELECT ? FROM},
 * {@code LIMIT ?}, {@code HAVING ... ?} are refused); a parameter "cannot be enclosed in double or single quotes"
 * (there it is text, not a parameter, on both engines). The query is parsed by DuckDB's own parser
 * ({@code json_serialize_sql}), so a {@code ?} inside a string literal or a comment is not taken for a parameter.
 */
public final class AthenaParameterRules {

    private static final ObjectMapper JSON = new ObjectMapper();

    private AthenaParameterRules() {}

    /**
     * @return one line per parameter Athena would refuse, naming the clause it sits in; empty when Athena accepts them all
     */
    public static List<String> violations(Connection duckDb, String sql) throws SQLException {
        JsonNode tree;
        try (PreparedStatement ps = duckDb.prepareStatement("SELECT json_serialize_sql(?::VARCHAR)")) {
            ps.setString(1, sql);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                tree = JSON.readTree(rs.getString(1));
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                throw new IllegalStateException("DuckDB's parse tree is not JSON: " + e.getMessage(), e);
            }
        }
        if (tree.path("error").asBoolean(false)) {
            return List.of(); // not parseable: preparing the query reports the syntax error itself
        }
        List<String> violations = new ArrayList<>();
        walk(tree.path("statements"), "", false, violations);
        return violations;
    }

    private static void walk(JsonNode node, String path, boolean inWhere, List<String> violations) {
        if (node.isObject()) {
            if ("PARAMETER".equals(node.path("class").asText()) && !inWhere) {
                violations.add("parameter ?" + node.path("identifier").asText("") + " in " + clause(path)
                        + ": Athena accepts execution parameters only in the WHERE clause");
            }
            Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> field = fields.next();
                String key = field.getKey();
                // A subquery's own clauses decide for its parameters: WHERE (SELECT ... LIMIT ?) is still a LIMIT.
                boolean where = key.equals("where_clause") || (inWhere && !isSelectNode(node));
                walk(field.getValue(), path + "/" + key, where, violations);
            }
        } else if (node.isArray()) {
            for (JsonNode child : node) {
                walk(child, path, inWhere, violations);
            }
        }
    }

    private static boolean isSelectNode(JsonNode node) {
        return "SELECT_NODE".equals(node.path("type").asText());
    }

    /** The innermost clause of a parse-tree path, in SQL words. */
    private static String clause(String path) {
        String[] keys = path.split("/");
        for (int i = keys.length - 1; i >= 0; i--) {
            switch (keys[i]) {
                case "select_list":
                    return "the SELECT list";
                case "having":
                    return "HAVING";
                case "qualify":
                    return "QUALIFY";
                case "group_expressions":
                    return "GROUP BY";
                case "modifiers":
                    return "LIMIT/OFFSET or ORDER BY";
                case "from_table":
                    return "FROM";
                default:
                    break;
            }
        }
        return "a clause other than WHERE";
    }
}
