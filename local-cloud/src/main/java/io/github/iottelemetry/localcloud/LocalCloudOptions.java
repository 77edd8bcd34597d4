package io.github.iottelemetry.localcloud;

import io.github.iottelemetry.localcloud.iot.IotSettings;
import io.github.iottelemetry.localcloud.kinesis.KinesisEngine;
import io.github.iottelemetry.localcloud.process.PortAssignment;
import io.github.iottelemetry.template.LocalStateFolder;
import java.net.URI;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * How to run the local cloud: where its state lives, which Kinesis engine, which ports, and which
 * template to provision (with the stack name and parameter values CloudFormation would get).
 *
 * @param stateDirectory engine data, logs, pid file and env file; kept between runs unless {@code fresh}
 * @param fresh delete the engine data before starting
 * @param template the template to provision; empty to start the engines only
 * @param iot whether IoT Core (module local-iot) runs, on which MQTT port, TLS or not
 * @param dynamoDbInMemory the DynamoDB engine keeps its tables in memory only (gone when it stops) instead of
 *        in its LevelDB folder under the state directory
 * @param dynamoDbEndpoint a DynamoDB the user runs (DynamoDB Local, say): the local cloud starts no DynamoDB engine
 *        and provisions the template's tables there
 */
public record LocalCloudOptions(
        Path stateDirectory,
        boolean fresh,
        KinesisEngine kinesisEngine,
        int kinesisPort,
        int dynamoDbPort,
        int s3Port,
        String region,
        Optional<Path> template,
        String stackName,
        Map<String, String> parameterValues,
        IotSettings iot,
        boolean dynamoDbInMemory,
        Optional<URI> dynamoDbEndpoint) {

    public static final int DEFAULT_KINESIS_PORT = 4567;
    public static final int DEFAULT_DYNAMODB_PORT = 8000;
    public static final int DEFAULT_S3_PORT = 9090;
    public static final String DEFAULT_REGION = "us-east-1";
    public static final String DEFAULT_STACK_NAME = io.github.iottelemetry.template.StackNames.LOCAL_DEFAULT;

    public LocalCloudOptions {
        parameterValues = Map.copyOf(parameterValues);
    }

    /** The defaults of `pipeline up`: fixed ports, kinesalite, state in {@code .local-cloud}, the root template. */
    public static LocalCloudOptions defaults(Path projectDirectory) {
        return new LocalCloudOptions(
                LocalStateFolder.of(projectDirectory),
                false,
                KinesisEngine.KINESALITE,
                DEFAULT_KINESIS_PORT,
                DEFAULT_DYNAMODB_PORT,
                DEFAULT_S3_PORT,
                DEFAULT_REGION,
                Optional.of(projectDirectory.resolve("template.yaml")),
                DEFAULT_STACK_NAME,
                Map.of(),
                IotSettings.OFF,
                false,
                Optional.empty());
    }

    /** Free ports picked now (the MQTT broker picks its own), for tests that must not collide with a running `pipeline up`. */
    public LocalCloudOptions withFreePorts() {
        return new LocalCloudOptions(
                stateDirectory,
                fresh,
                kinesisEngine,
                PortAssignment.freePort(),
                PortAssignment.freePort(),
                PortAssignment.freePort(),
                region,
                template,
                stackName,
                parameterValues,
                new IotSettings(iot.enabled(), 0, iot.insecurePlainTcp(), iot.starter()),
                dynamoDbInMemory,
                dynamoDbEndpoint);
    }

    public LocalCloudOptions withStateDirectory(Path directory, boolean startFresh) {
        return new LocalCloudOptions(
                directory,
                startFresh,
                kinesisEngine,
                kinesisPort,
                dynamoDbPort,
                s3Port,
                region,
                template,
                stackName,
                parameterValues,
                iot,
                dynamoDbInMemory,
                dynamoDbEndpoint);
    }

    public LocalCloudOptions withKinesisEngine(KinesisEngine engine) {
        return new LocalCloudOptions(
                stateDirectory,
                fresh,
                engine,
                kinesisPort,
                dynamoDbPort,
                s3Port,
                region,
                template,
                stackName,
                parameterValues,
                iot,
                dynamoDbInMemory,
                dynamoDbEndpoint);
    }

    public LocalCloudOptions withTemplate(Optional<Path> templateFile, Map<String, String> values) {
        return new LocalCloudOptions(
                stateDirectory,
                fresh,
                kinesisEngine,
                kinesisPort,
                dynamoDbPort,
                s3Port,
                region,
                templateFile,
                stackName,
                values,
                iot,
                dynamoDbInMemory,
                dynamoDbEndpoint);
    }

    /** IoT Core on or off; it needs a template (its policies and rules) and module local-iot on the classpath. */
    public LocalCloudOptions withIot(IotSettings settings) {
        return new LocalCloudOptions(
                stateDirectory,
                fresh,
                kinesisEngine,
                kinesisPort,
                dynamoDbPort,
                s3Port,
                region,
                template,
                stackName,
                parameterValues,
                settings,
                dynamoDbInMemory,
                dynamoDbEndpoint);
    }

    /** The DynamoDB engine without its LevelDB folder: the tables live as long as the local cloud. */
    public LocalCloudOptions withDynamoDbInMemory(boolean inMemory) {
        return new LocalCloudOptions(
                stateDirectory,
                fresh,
                kinesisEngine,
                kinesisPort,
                dynamoDbPort,
                s3Port,
                region,
                template,
                stackName,
                parameterValues,
                iot,
                inMemory,
                dynamoDbEndpoint);
    }

    /** DynamoDB at {@code endpoint}, run by the user, instead of the local cloud's own engine. */
    public LocalCloudOptions withDynamoDbEndpoint(Optional<URI> endpoint) {
        return new LocalCloudOptions(
                stateDirectory,
                fresh,
                kinesisEngine,
                kinesisPort,
                dynamoDbPort,
                s3Port,
                region,
                template,
                stackName,
                parameterValues,
                iot,
                dynamoDbInMemory,
                endpoint);
    }

    /** The ports with the `pipeline up` flags that change them, for messages about a taken port. */
    public PortAssignment kinesisPortAssignment() {
        return new PortAssignment("Kinesis (" + kinesisEngine + ")", kinesisPort, "--kinesis-port");
    }

    public PortAssignment dynamoDbPortAssignment() {
        return new PortAssignment("DynamoDB (dynalite)", dynamoDbPort, "--dynamodb-port");
    }

    public PortAssignment s3PortAssignment() {
        return new PortAssignment("S3Proxy", s3Port, "--s3-port");
    }
}
