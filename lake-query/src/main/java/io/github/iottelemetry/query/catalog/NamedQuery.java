package io.github.iottelemetry.query.catalog;

/** An {@code AWS::Athena::NamedQuery} of the template; {@code ?} marks its positional parameters. */
public record NamedQuery(String name, String description, String sql) {

    public int parameterCount() {
        int n = 0;
        boolean inString = false;
        for (int i = 0; i < sql.length(); i++) {
            char c = sql.charAt(i);
            if (c == '\'') {
                inString = !inString;
            } else if (c == '?' && !inString) {
                n++;
            }
        }
        return n;
    }
}
