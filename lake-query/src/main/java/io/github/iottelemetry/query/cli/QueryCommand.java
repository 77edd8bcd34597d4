package io.github.iottelemetry.query.cli;

import io.github.iottelemetry.query.catalog.LakeCatalog;
import io.github.iottelemetry.query.catalog.NamedQuery;
import io.github.iottelemetry.query.engine.AthenaQueryEngine;
import io.github.iottelemetry.query.engine.LocalQueryEngine;
import io.github.iottelemetry.query.engine.QueryResult;
import io.github.iottelemetry.template.LocalStateFolder;
import io.github.iottelemetry.template.StackNames;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.athena.AthenaClient;

/** {@code pipeline query}: the template's named queries (or any SQL) on the local lake or on Athena. */
@Command(
        name = "query",
        mixinStandardHelpOptions = true,
        description =
                "Run a named query of template.yaml (or --sql) on the local data lake (DuckDB) or on Athena (--athena).")
public final class QueryCommand implements Callable<Integer> {

    @Parameters(
            index = "0",
            arity = "0..1",
            paramLabel = "NAME",
            description = "A named query of the template (see --list).")
    String name;

    @Option(names = "--sql", description = "Run this SQL instead of a named query.")
    String sql;

    @Option(
            names = {"-p", "--param"},
            paramLabel = "VALUE",
            description =
                    "A value for the next ? of the query, in order (numbers bind as numbers, anything else as text).")
    List<String> parameters = new ArrayList<>();

    @Option(names = "--format", description = "table, csv or json (default: ${DEFAULT-VALUE}).")
    ResultPrinter.Format format = ResultPrinter.Format.table;

    @Option(names = "--list", description = "List the named queries with their descriptions.")
    boolean list;

    @Option(names = "--athena", description = "Run on Amazon Athena in the stack's workgroup instead of locally.")
    boolean athena;

    @Option(names = "--workgroup", description = "Athena workgroup (default: the template's, for --stack).")
    String workGroup;

    @Option(
            names = "--stack",
            description = "Stack name the template was deployed as (default: " + StackNames.AWS_DEFAULT
                    + " with --athena, else " + StackNames.LOCAL_DEFAULT + ").")
    String stack;

    @Option(names = "--region", description = "AWS region for --athena (default: AWS_REGION, else us-east-1).")
    String region;

    @Option(names = "--template", description = "The template (default: template.yaml of the project).")
    Path template;

    @Option(
            names = "--lake",
            description = "Local lake folder (default: the local cloud's lake bucket under --state-dir).")
    Path lake;

    @Option(
            names = "--state-dir",
            description =
                    "The local cloud's state folder (default: LOCAL_CLOUD_STATE of the sourced env file, else .local-cloud of the project).")
    Path stateDir;

    @Option(
            names = "--price-per-tb",
            description = "USD per TB scanned, for the cost line (default: ${DEFAULT-VALUE},"
                    + " Athena SQL queries in us-east-1 as in cost/prices.csv).")
    double pricePerTb = 5.0;

    @Option(
            names = "--timeout",
            description = "Give up on an Athena query after this many seconds (default: ${DEFAULT-VALUE}).")
    long timeoutSeconds = 300;

    private final PrintStream out;
    private final PrintStream err;

    public QueryCommand() {
        this(System.out, System.err);
    }

    QueryCommand(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new QueryCommand()).execute(args));
    }

    @Override
    public Integer call() {
        Path home = projectHome();
        Path templateFile = template != null ? template : home.resolve("template.yaml");
        String awsRegion = region != null ? region : System.getenv().getOrDefault("AWS_REGION", "us-east-1");
        LakeCatalog catalog = LakeCatalog.fromTemplate(
                templateFile,
                stack != null ? stack : athena ? StackNames.AWS_DEFAULT : StackNames.LOCAL_DEFAULT,
                awsRegion);
        if (list) {
            for (NamedQuery q : catalog.namedQueries()) {
                out.printf("%-24s %s%n", q.name(), q.description());
            }
            return 0;
        }
        String query;
        if (sql != null) {
            query = sql;
        } else if (name != null) {
            NamedQuery q = catalog.namedQuery(name)
                    .orElseThrow(() -> new CommandLine.ParameterException(
                            new CommandLine(this),
                            "no named query '" + name + "' in " + templateFile + "; --list shows them"));
            if (q.parameterCount() != parameters.size()) {
                err.println("query " + q.name() + " takes " + q.parameterCount() + " parameter(s), got "
                        + parameters.size() + ": " + q.description());
                return 2;
            }
            query = q.sql();
        } else {
            err.println("name a query (--list shows them) or give --sql");
            return 2;
        }
        if (athena) {
            try (AthenaClient client = AthenaClient.builder()
                    .region(Region.of(awsRegion))
                    .httpClient(UrlConnectionHttpClient.create())
                    .build()) {
                AthenaQueryEngine.Execution e = new AthenaQueryEngine(
                                client, workGroup != null ? workGroup : catalog.workGroup(), catalog.database())
                        .run(query, parameters, Duration.ofSeconds(timeoutSeconds));
                ResultPrinter.print(e.result(), format, out);
                // Athena bills at least 10 MB per query.
                double billedTb = Math.max(e.dataScannedBytes(), 10_000_000L) / 1e12;
                err.printf(
                        "Athena %s: %,d bytes scanned, %d ms, about $%.6f%n",
                        e.queryExecutionId(), e.dataScannedBytes(), e.engineMillis(), billedTb * pricePerTb);
            }
            return 0;
        }
        Path lakeFolder = lake != null
                ? lake
                : LocalCloudEnv.read(stateDir != null ? stateDir : LocalStateFolder.of(home))
                        .lakeFolder();
        try (LocalQueryEngine engine = new LocalQueryEngine(catalog, lakeFolder)) {
            QueryResult r = engine.run(query, parameters);
            ResultPrinter.print(r, format, out);
        }
        return 0;
    }

    static Path projectHome() {
        String home = System.getProperty("pipeline.home");
        return home != null ? Path.of(home) : Path.of("").toAbsolutePath();
    }
}
