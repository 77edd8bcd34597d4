package io.github.iottelemetry.localiot;

import io.github.iottelemetry.localca.LocalCertificateAuthority;
import io.github.iottelemetry.localcloud.LocalCloudEndpoints;
import io.github.iottelemetry.localcloud.iot.IotCore;
import io.github.iottelemetry.localcloud.iot.IotStartRequest;
import io.github.iottelemetry.localiot.actions.JsonLinesFile;
import io.github.iottelemetry.localiot.actions.KinesisBatcher;
import io.github.iottelemetry.localiot.broker.LocalMqttBroker;
import io.github.iottelemetry.localiot.policy.DeviceAuthorization;
import io.github.iottelemetry.localiot.policy.IotPolicyEvaluator;
import io.github.iottelemetry.localiot.policy.TemplatePolicies;
import io.github.iottelemetry.localiot.rules.RulesEngine;
import io.github.iottelemetry.localiot.rules.TemplateTopicRules;
import io.github.iottelemetry.localiot.rules.TopicRule;
import io.github.iottelemetry.template.CfnTemplate;
import io.github.iottelemetry.template.PseudoParameters;
import io.github.iottelemetry.template.ResolvedTemplate;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * IoT Core on this machine: the local CA, the MQTT broker on 127.0.0.1 with the template's IoT policies, and
 * the template's enabled TopicRules with their actions. Start it after the Kinesis and S3 engines are up and
 * the template's stream and bucket exist; {@link #close()} stops the broker, then sends what the Kinesis action
 * still holds.
 *
 * <p>State: {@code <state>/iot/ca} (CA, CRL: kept), {@code <state>/iot/broker} (rewritten each start),
 * {@code <state>/iot/cloudwatch/metrics.jsonl} and {@code logs.jsonl} (the local CloudWatch sink),
 * {@code <state>/iot/undeliverable.jsonl} (messages neither an action nor the error action could take).
 */
public final class LocalIotCore implements IotCore {

    private final LocalCertificateAuthority ca;
    private final LocalMqttBroker broker;
    private final RulesEngine rules;
    private final LocalIotCounters counters;
    private final AutoCloseable[] resources;
    private final Path stateFolder;
    private final KinesisBatcher batcher;

    private LocalIotCore(
            LocalCertificateAuthority ca,
            LocalMqttBroker broker,
            RulesEngine rules,
            LocalIotCounters counters,
            Path stateFolder,
            KinesisBatcher batcher,
            AutoCloseable... resources) {
        this.batcher = batcher;
        this.ca = ca;
        this.broker = broker;
        this.rules = rules;
        this.counters = counters;
        this.stateFolder = stateFolder;
        this.resources = resources;
    }

    /**
     * IoT Core for a local cloud ({@link io.github.iottelemetry.localcloud.iot.IotCoreStarter}): against its running
     * engines, with the template, stack name and parameters they were provisioned with.
     */
    public static LocalIotCore start(IotStartRequest request) {
        if (request.settings().mqttPort() != 0) {
            request.settings().portAssignment().requireFree();
        }
        LocalCloudEndpoints endpoints = request.endpoints();
        return start(LocalIotOptions.of(
                        request.stateDirectory(),
                        request.template(),
                        request.stackName(),
                        request.parameterValues(),
                        endpoints.kinesis(),
                        endpoints.s3(),
                        endpoints.region(),
                        LocalCloudEndpoints.ACCESS_KEY_ID,
                        LocalCloudEndpoints.SECRET_ACCESS_KEY)
                .withMqttPort(request.settings().mqttPort())
                .withInsecurePlainTcp(request.settings().insecurePlainTcp()));
    }

    /**
     * @throws IllegalArgumentException when a policy or rule of the template cannot run as IoT Core would run it,
     *     naming the resource, the field and the position
     */
    public static LocalIotCore start(LocalIotOptions options) {
        Path state = options.stateDirectory().toAbsolutePath().normalize().resolve("iot");
        PseudoParameters pseudo = PseudoParameters.local(options.stackName());
        ResolvedTemplate template = CfnTemplate.load(options.template()).resolve(options.parameterValues(), pseudo);
        DeviceAuthorization authorization = new DeviceAuthorization(
                new IotPolicyEvaluator(TemplatePolicies.load(template)),
                DeviceAuthorization.arnPrefix(pseudo.partition(), pseudo.region(), pseudo.accountId()));

        AwsBasicCredentials credentials = AwsBasicCredentials.create(options.accessKeyId(), options.secretAccessKey());
        KinesisClient kinesis = KinesisClient.builder()
                .endpointOverride(options.kinesisEndpoint())
                .region(Region.of(options.region()))
                .credentialsProvider(StaticCredentialsProvider.create(credentials))
                .httpClientBuilder(ApacheHttpClient.builder().maxConnections(64))
                .build();
        // S3Proxy rejects the SDK's default request checksums (NOTES.md); path style because buckets are not DNS names
        // here.
        S3Client s3 = S3Client.builder()
                .endpointOverride(options.s3Endpoint())
                .region(Region.of(options.region()))
                .credentialsProvider(StaticCredentialsProvider.create(credentials))
                .forcePathStyle(true)
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
                .httpClientBuilder(ApacheHttpClient.builder())
                .build();
        ExecutorService s3Executor = Executors.newFixedThreadPool(4, runnable -> {
            Thread thread = new Thread(runnable, "iot-rule-s3-action");
            thread.setDaemon(true);
            return thread;
        });
        KinesisBatcher batcher = new KinesisBatcher(kinesis, options.kinesisLinger());
        JsonLinesFile metrics = new JsonLinesFile(state.resolve("cloudwatch").resolve("metrics.jsonl"));
        JsonLinesFile logs = new JsonLinesFile(state.resolve("cloudwatch").resolve("logs.jsonl"));
        JsonLinesFile undeliverable = new JsonLinesFile(state.resolve("undeliverable.jsonl"));
        AutoCloseable[] resources = {batcher, s3Executor::shutdown, kinesis, s3, metrics, logs, undeliverable};
        try {
            List<TopicRule> topicRules = TemplateTopicRules.load(
                    template, new TemplateTopicRules.ActionTargets(batcher, s3, s3Executor, metrics, logs));
            LocalIotCounters counters = new LocalIotCounters();
            RulesEngine rules = new RulesEngine(topicRules, counters, undeliverable);
            LocalCertificateAuthority ca = LocalCertificateAuthority.openOrCreate(options.caDirectory());
            int port = options.mqttPort() == 0 ? freePort() : options.mqttPort();
            LocalMqttBroker broker = LocalMqttBroker.start(
                    state.resolve("broker"), port, options.insecurePlainTcp(), ca, authorization, rules, counters);
            return new LocalIotCore(ca, broker, rules, counters, state, batcher, resources);
        } catch (RuntimeException e) {
            closeAll(resources);
            throw e;
        }
    }

    /** {@code 127.0.0.1:<port>}: the value of {@code IOT_ENDPOINT}. */
    @Override
    public String endpoint() {
        return "127.0.0.1:" + broker.port();
    }

    @Override
    public int port() {
        return broker.port();
    }

    @Override
    public boolean tls() {
        return broker.tls();
    }

    /** The CA certificate (PEM) clients trust: the value of {@code IOT_CA_FILE}. */
    @Override
    public Path caCertificateFile() {
        return ca.certificateFile();
    }

    /** The CA, to issue and revoke device certificates (device-sim's provisioning, the {@code iot} CLI). */
    public LocalCertificateAuthority certificateAuthority() {
        return ca;
    }

    public LocalIotCounters counters() {
        return counters;
    }

    /** The counters, and per Kinesis stream and shard the records the rules' Kinesis actions put and still hold. */
    @Override
    public Map<String, ?> liveMetrics() {
        Map<String, Object> values = new LinkedHashMap<>(counters.snapshot());
        values.put("kinesis", batcher.stats());
        return values;
    }

    public List<TopicRule> rules() {
        return rules.rules();
    }

    public Path stateFolder() {
        return stateFolder;
    }

    /** The lines {@code pipeline up} adds to {@code .local-cloud/env}. */
    @Override
    public Map<String, String> environment() {
        Map<String, String> environment = new LinkedHashMap<>();
        environment.put("IOT_ENDPOINT", endpoint());
        environment.put("IOT_CA_FILE", caCertificateFile().toString());
        if (!tls()) {
            environment.put("IOT_INSECURE_PLAIN_TCP", "true");
        }
        return environment;
    }

    @Override
    public void close() {
        broker.close();
        closeAll(resources);
    }

    private static void closeAll(AutoCloseable[] resources) {
        for (AutoCloseable resource : resources) {
            try {
                resource.close();
            } catch (Exception e) {
                System.getLogger(LocalIotCore.class.getName())
                        .log(System.Logger.Level.WARNING, "cannot close " + resource + ": " + e);
            }
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free port on 127.0.0.1 for the MQTT broker", e);
        }
    }
}
