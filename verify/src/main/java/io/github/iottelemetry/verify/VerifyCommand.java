package io.github.iottelemetry.verify;

import io.github.iottelemetry.core.window.Resolution;
import io.github.iottelemetry.query.catalog.LakeCatalog;
import io.github.iottelemetry.query.cli.LocalCloudEnv;
import io.github.iottelemetry.query.engine.LocalQueryEngine;
import java.net.URI;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/** {@code pipeline verify --ledger FILE}: the exactly-once check of the local pipeline against the simulator's ledger. */
@Command(
        name = "verify",
        mixinStandardHelpOptions = true,
        description =
                "Recompute every expected window aggregate from the simulator's ledger and compare with DynamoDB and the data lake.")
public final class VerifyCommand implements Callable<Integer> {

    @Option(
            names = "--ledger",
            required = true,
            description = "The simulator's ledger (ledger.bin.gz in the fleet folder).")
    Path ledger;

    @Option(
            names = "--resolutions",
            description = "Window resolutions the processor writes (default: AGGREGATION_RESOLUTIONS"
                    + " from the environment, else ${DEFAULT-VALUE}).",
            defaultValue = "${env:AGGREGATION_RESOLUTIONS:-1m}")
    String resolutions;

    @Option(
            names = "--state-dir",
            description =
                    "The local cloud's state folder (default: LOCAL_CLOUD_STATE of the sourced env file, else .local-cloud of the project).")
    Path stateDir;

    @Option(names = "--template", description = "The template (default: template.yaml of the project).")
    Path template;

    @Option(names = "--stack", description = "Stack name of the local cloud (default: ${DEFAULT-VALUE}).")
    String stack = io.github.iottelemetry.template.StackNames.LOCAL_DEFAULT;

    public static void main(String[] args) {
        System.exit(new CommandLine(new VerifyCommand()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        Path home = Path.of(System.getProperty("pipeline.home", "")).toAbsolutePath();
        LocalCloudEnv env = LocalCloudEnv.read(
                stateDir != null ? stateDir : io.github.iottelemetry.template.LocalStateFolder.of(home));
        LakeCatalog catalog = LakeCatalog.fromTemplate(
                template != null ? template : home.resolve("template.yaml"),
                stack,
                env.values().getOrDefault("AWS_REGION", "us-east-1"));
        LedgerExpectation expectation = LedgerExpectation.read(ledger);
        try (DynamoDbClient dynamo = dynamoDb(env);
                LocalQueryEngine lake = new LocalQueryEngine(catalog, env.lakeFolder())) {
            Verification.Verdict verdict = Verification.run(
                    expectation, Resolution.parseList(resolutions), dynamo, env.require("AGGREGATES_TABLE"), lake);
            Verification.print(verdict, System.out);
            return verdict.exact() ? 0 : 1;
        }
    }

    static DynamoDbClient dynamoDb(LocalCloudEnv env) {
        return DynamoDbClient.builder()
                .endpointOverride(URI.create(env.require("AWS_ENDPOINT_URL_DYNAMODB")))
                .region(Region.of(env.values().getOrDefault("AWS_REGION", "us-east-1")))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(
                        env.require("AWS_ACCESS_KEY_ID"), env.require("AWS_SECRET_ACCESS_KEY"))))
                .httpClient(UrlConnectionHttpClient.create())
                .build();
    }
}
