package io.github.iottelemetry.cost.estimate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.github.iottelemetry.cost.fleet.FleetWorkload;
import io.github.iottelemetry.cost.fleet.MessageSizer;
import io.github.iottelemetry.cost.price.PriceTable;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;

/**
 * Bills computed by hand, line by line, priced with the bundled us-east-1 table. A month is 730 h = 2,628,000 s =
 * 30.4167 days. The arithmetic is written out here, independently of the model's code: it starts from the fleet, the
 * settings (Settings) and the stated assumptions (ModelAssumptions.standard()).
 */
class CostModelTest {

    private static final Offset<Double> CENT = within(0.01);
    private static final double SECONDS = 2_628_000;
    private static final double HOURS = 730;
    private static final double DAYS = 730 / 24.0;
    private static final double GIB = 1024.0 * 1024 * 1024;
    private static final double TIB = GIB * 1024;
    private final CostModel model =
            new CostModel(PriceTable.bundled().region("us-east-1"), ModelAssumptions.standard());

    private static double item(CostEstimate estimate, String service, String itemStart) {
        return estimate.lineItems().stream()
                .filter(line -> line.service().equals(service) && line.item().startsWith(itemStart))
                .mapToDouble(LineItem::monthlyUsd)
                .sum();
    }

    /**
     * The template's defaults for 100,000 devices, a reading every second, 10 per message, 4 metrics: 10,000 messages/s
     * (26.28 G a month) and 100,000 readings/s (262.8 G a month). Every line of the bill is here, and nothing else is.
     */
    @Test
    void everyLineOfTheDefaultBillForOneHundredThousandDevices() {
        FleetWorkload fleet = new FleetWorkload(100_000, 1, 10, 4);
        // the sizes MessageSizer measures with the project's codec: a 1,079 B payload, a 1,125 B record with the rule's
        // fields
        assertThat(MessageSizer.payloadBytes(fleet)).isEqualTo(1_079);
        assertThat(MessageSizer.kinesisRecordBytes(fleet)).isEqualTo(1_125);
        double record = 1_125;
        double messages = 10_000 * SECONDS;

        CostEstimate bill = model.design(fleet, Settings.templateDefaults());

        Map<String, Double> expected = new LinkedHashMap<>();
        // IoT Core: 100,000 devices x 43,800 minutes at $0.08/M; Basic Ingest: no messaging; 1 rule and 1 action per
        // message in one 5 KB unit at $0.15/M each
        expected.put("IoT Core/connection minutes", 100_000 * HOURS * 60 / 1e6 * 0.08);
        expected.put("IoT Core/messaging", 0.0);
        expected.put("IoT Core/rules triggered", messages / 1e6 * 0.15);
        expected.put("IoT Core/rule actions executed", messages / 1e6 * 0.15);

        // Kinesis: 10,000 x (1,125 + 10 B partition key) = 11.35 MB/s needs 11 shards; on demand twice that: 22.
        // Data in: each record billed as 2 KB at $0.08/GB; read: the 1,125 B by 2 consumers at $0.04/GB
        assertThat(bill.workload().shardsNeeded()).isEqualTo(11);
        assertThat(bill.workload().shards()).isEqualTo(22);
        expected.put("Kinesis/on-demand stream hours", HOURS * 0.04);
        expected.put("Kinesis/on-demand data in", messages * 2048 / GIB * 0.08);
        expected.put("Kinesis/on-demand data read", messages * record / GIB * 2 * 0.04);

        // Lambda: 10,000/22 = 454.5 records/s per shard fill 1,000-record batches every 2.2 s (before the 5 s window):
        // 10 invocations/s of 1,000 records. A device's state: every 6th message (60 s / 10 s), 1,666.7 writes/s, 166.7
        // per batch. A batch takes 25 + 0.05 x 1,000 + 0.2 x 166.7 = 108.3 ms at 1769 MB (1.7275 GB)
        double invocations = 10 * SECONDS;
        double stateWrites = 100_000 / 60.0;
        double millis = 25 + 0.05 * 1_000 + 0.2 * stateWrites / 10;
        assertThat(bill.workload().invocationsPerSecond()).isCloseTo(10, within(1e-9));
        assertThat(bill.workload().millisPerInvocation()).isCloseTo(108.333, within(0.001));
        expected.put("Lambda/ingest requests", invocations / 1e6 * 0.20);
        expected.put("Lambda/ingest duration", invocations * millis / 1000 * 1769 / 1024 * 0.0000133334);
        // X-Ray: the first invocation each second and 5% of the other 9: 1.45 traces/s at $5/M
        expected.put("X-Ray/traces recorded", 1.45 * SECONDS / 1e6 * 5);

        // DynamoDB. Device state: 148 B items, 1 write unit, $0.625/M; PITR on its 100,000 x (148 + 100) B
        expected.put("DynamoDB/device-state writes", stateWrites * SECONDS / 1e6 * 0.625);
        expected.put("DynamoDB/point-in-time recovery, device-state table", 100_000 * 248 / GIB * 0.20);
        // Aggregates: 823 B items (1 WRU, 1 strongly consistent RRU). Per device a second: 1m windows 1/60 + 1/300 (the
        // forced flush cuts the open one), 1h windows 1/3600 + 1/300; a window's first write creates it without a read,
        // so only the writes after a flush read: 1/300 + 1/300
        double windowWrites = 100_000 * (1 / 60.0 + 1 / 300.0 + 1 / 3600.0 + 1 / 300.0) * SECONDS;
        expected.put("DynamoDB/aggregate writes", windowWrites / 1e6 * 0.625);
        expected.put("DynamoDB/aggregate reads", 100_000 * (1 / 300.0 + 1 / 300.0) * SECONDS / 1e6 * 0.125);
        // The processor needs 100,000 x 4 metrics x 5 open windows x 256 B + 100,000 readings/s x 300 s x 100 B = 3.51
        // GB
        // of heap: 4 tasks of 1 GB heap. KCL: 22 leases renewed every 3.33 s, 22 checkpoints a minute, 4 workers'
        // metrics
        // every 30 s; the leader scans 28 items (14 KB: 4 KB units x 0.5, eventually consistent) every 20 s
        assertThat(bill.workload().processorTasks()).isEqualTo(4);
        expected.put(
                "DynamoDB/KCL lease table writes", (22 / (10.0 / 3) + 22 / 60.0 + 4 / 30.0) * SECONDS / 1e6 * 0.625);
        expected.put("DynamoDB/KCL lease table reads", 4 * 0.5 / 20 * SECONDS / 1e6 * 0.125);
        // Storage: device state, 1m windows 7 + 2 days, 1h windows 365 + 2 days, 923 B each with the overhead, 28
        // leases
        double stored = 100_000 * 248 + 100_000 * 9 * 1440 * 923.0 + 100_000 * 367 * 24 * 923.0 + 28 * 512;
        expected.put("DynamoDB/storage", stored / GIB * 0.25);

        // S3. Raw: one object per batch plus one per shard an hour (a batch across the hour): 10.0061/s, 864,528 a day,
        // of
        // 1,000 x 0.999 (not quarantined) x 1,125 B x 0.135 = 151,630 B: over 128 KB, so Standard-IA after 30 days
        double rawPerDay = (10 + 22 / 3600.0) * 86_400;
        double rawBytes = 10_000 * 0.999 * record * 0.135 / (10 + 22 / 3600.0);
        expected.put("S3/PUT raw objects", rawPerDay * DAYS / 1000 * 0.005);
        expected.put("S3/storage raw/ STANDARD (days 0-30)", rawPerDay * rawBytes * 30 / GIB * 0.023);
        expected.put("S3/storage raw/ STANDARD_IA (days 30-365)", rawPerDay * rawBytes * 335 / GIB * 0.0125);
        expected.put("S3/lifecycle transitions raw/ to STANDARD_IA", rawPerDay * DAYS / 1000 * 0.01);
        // Quarantine: 0.1% of records, one object of about the record's size each, too small for Standard-IA
        double quarantinedPerDay = 10 * 86_400;
        expected.put("S3/PUT quarantine objects", quarantinedPerDay * DAYS / 1000 * 0.005);
        expected.put("S3/storage quarantine/ STANDARD (days 0-365)", quarantinedPerDay * record * 365 / GIB * 0.023);
        // Parquet: a shard spans 16/22 device buckets and meets a bucket edge, so 1.727 objects per window write, 22
        // shards,
        // each a GET and a PUT; an object holds 100,000 x 4 / 16 rows: 8,192 + 25,000 x 24 = 608,192 B
        // each a PUT; 16 x (1/60 + 1/3600) objects a second are created without a GET, every other put reads first; the
        // 22 x 1.727 / 16 = 2.375 writers of an object all try to create it: 1.375 failed PUTs per creation
        double objectWritesPerSecond = 22 * (1 + 16 / 22.0) * (1 / 60.0 + 1 / 300.0 + 1 / 3600.0 + 1 / 300.0);
        double createdPerSecond = 16 * (1 / 60.0 + 1 / 3600.0);
        double failedCreations = (22 * (1 + 16 / 22.0) / 16 - 1) * createdPerSecond;
        expected.put("S3/PUT Parquet objects", (objectWritesPerSecond + failedCreations) * SECONDS / 1000 * 0.005);
        expected.put("S3/GET Parquet objects", (objectWritesPerSecond - createdPerSecond) * SECONDS / 1000 * 0.0004);
        double objectBytes = 8_192 + 25_000 * 24;
        expected.put(
                "S3/storage aggregates/ STANDARD (days 0-365)", 16 * (1440 + 24) * objectBytes * 365 / GIB * 0.023);
        // Noncurrent versions: 22 x 1.727 / 16 = 2.375 writers per object; 1m objects put 2.375 x 1.2 times, 1h objects
        // 2.375 x 13 times; each put but the last leaves a version of half the final size on average for 7 days
        double writers = 22 * (1 + 16 / 22.0) / 16;
        double noncurrent = (16 * 1440 * (writers * 1.2 - 1) + 16 * 24 * (writers * 13 - 1)) * objectBytes / 2 * 7;
        expected.put("S3/storage aggregates/ noncurrent versions", noncurrent / GIB * 0.023);

        // Athena: 12 dashboard queries an hour over an hour of 1m objects (60 x 16 x 608,192 B), one report a day over
        // a day
        // of them, 5 ad-hoc queries a day over an hour of raw; $5/TB. GETs: 3 per Parquet object, 1 per raw object;
        // results: 2 PUTs and 10 KB per query, kept 7 days
        double hourOfParquet = 960 * objectBytes;
        double rawHour = rawPerDay / 24;
        expected.put("Athena/dashboard queries", HOURS * 12 * hourOfParquet / TIB * 5);
        expected.put("Athena/daily report", DAYS * 24 * hourOfParquet / TIB * 5);
        expected.put("Athena/ad-hoc raw queries", DAYS * 5 * rawHour * rawBytes / TIB * 5);
        double queries = HOURS * 12 + DAYS * 6;
        expected.put(
                "S3/GET lake objects read by Athena",
                (HOURS * 12 * 960 * 3 + DAYS * 960 * 24 * 3 + DAYS * 5 * rawHour) / 1000 * 0.0004);
        expected.put("S3/PUT Athena query results", queries * 2 / 1000 * 0.005);
        expected.put("S3/storage Athena results", queries / DAYS * 10_240 * 7 / GIB * 0.023);

        // CloudWatch: 14 EMF metrics + KCL's 5 per shard and 15 more = 139 at $0.30; KCL's 125 data points a flush go
        // in
        // 7 PutMetricData requests every 10 s at $0.01/1,000; logs 1 KB a batch and 2 KB per task-minute at $0.50/GB,
        // stored at 15% for 30 days at $0.03; 9 alarms, 1 dashboard
        expected.put("CloudWatch/custom metrics", 139 * 0.30);
        expected.put("CloudWatch/PutMetricData requests", 7 / 10.0 * SECONDS / 1000 * 0.01);
        double logGb = (invocations * 1024 + 4 * HOURS * 60 * 2048) / GIB;
        expected.put("CloudWatch/log ingestion", logGb * 0.50);
        expected.put("CloudWatch/log storage", logGb * 0.15 * 30 / 30.4 * 0.03);
        expected.put("CloudWatch/alarms", 9 * 0.10);
        expected.put("CloudWatch/dashboards", 3.0);

        // Fargate: 4 tasks x 730 h x 1 vCPU ($0.03238) and 2 GB ($0.00356), ARM; each with a public IPv4 ($0.005/h)
        expected.put("ECS Fargate/stream-processor vCPU hours", 4 * HOURS * 0.03238);
        expected.put("ECS Fargate/stream-processor GB hours", 4 * HOURS * 2 * 0.00356);
        expected.put("VPC/public IPv4 address", 4 * HOURS * 0.005);
        // KMS: the alarm topic's key $1; data-key requests 12 an hour for the rule's role, 22 Lambda environments and 4
        // tasks, each for the stream and a table: 53 credentials, $0.03 per 10,000. ECR: 10 images of 0.2 GB at $0.10
        expected.put("KMS/customer managed keys", 1.0);
        expected.put("KMS/requests", 53 * 12 * HOURS / 10_000 * 0.03);
        expected.put("ECR/image storage", 10 * 0.2 * 0.10);

        List<String> unmatched = new ArrayList<>();
        for (LineItem line : bill.lineItems()) {
            List<String> keys = expected.keySet().stream()
                    .filter(key -> (line.service() + "/" + line.item()).startsWith(key))
                    .toList();
            if (keys.size() != 1) {
                unmatched.add(line.service() + "/" + line.item() + " matches " + keys);
                continue;
            }
            assertThat(line.monthlyUsd())
                    .as(line.service() + " " + line.item())
                    .isCloseTo(expected.get(keys.get(0)), CENT);
        }
        assertThat(unmatched).as("lines of the bill without a hand computation").isEmpty();
        assertThat(bill.lineItems()).as("one line per hand-computed item").hasSize(expected.size());
        assertThat(bill.totalUsd())
                .isCloseTo(
                        expected.values().stream()
                                .mapToDouble(Double::doubleValue)
                                .sum(),
                        within(0.05));
        assertThat(bill.usdPerMillionReadings()).isCloseTo(bill.totalUsd() / 262_800, within(1e-9));
    }

    /**
     * 1,000 devices, a reading every 10 s, 6 per message: a message every 60 s, 16.667 msg/s, 43,800,000 messages and
     * 262,800,000 readings a month, on one provisioned shard.
     */
    @Test
    void smallProvisionedFleet() {
        FleetWorkload fleet = new FleetWorkload(1_000, 10, 6, 4);
        assertThat(MessageSizer.mqttBytes(fleet)).isLessThan(5 * 1024);
        assertThat(MessageSizer.kinesisRecordBytes(fleet)).isLessThan(25 * 1024);

        CostEstimate bill = model.design(fleet, Settings.smallProvisioned());

        assertThat(bill.messagesPerMonth()).isCloseTo(43_800_000, within(1.0));
        assertThat(bill.readingsPerMonth()).isCloseTo(262_800_000, within(1.0));
        // messaging without Basic Ingest: 43.8 M x $1.00
        assertThat(item(bill, "IoT Core", "messaging")).isCloseTo(43.80, CENT);
        // 1 shard x 730 h x $0.015 = $10.95; 43.8 M PUT payload units x $0.014 = $0.6132; provisioned reads are free
        assertThat(bill.workload().shards()).isEqualTo(1);
        assertThat(item(bill, "Kinesis", "shard hours")).isCloseTo(10.95, CENT);
        assertThat(item(bill, "Kinesis", "PUT payload units")).isCloseTo(0.6132, CENT);
        assertThat(item(bill, "Kinesis", "on-demand")).isZero();
        // 16.667 records/s on one shard; a 100-record batch would take 6 s, so the 5 s window flushes first: 0.2
        // invocations/s of 83.33 records, each device's state once per batch (its one message): 16.667 writes/s, 83.33
        // a batch; 25 + 0.05 x 83.33 + 0.2 x 83.33 = 45.83 ms at 256 MB
        assertThat(bill.workload().invocationsPerSecond()).isCloseTo(0.2, within(1e-9));
        assertThat(bill.workload().recordsPerInvocation()).isCloseTo(83.333, within(0.001));
        assertThat(item(bill, "Lambda", "ingest requests")).isCloseTo(0.2 * SECONDS / 1e6 * 0.20, within(1e-6));
        assertThat(item(bill, "Lambda", "ingest duration"))
                .isCloseTo(0.2 * SECONDS * (25 + 0.25 * 250 / 3) / 1000 * 0.25 * 0.0000133334, within(1e-4));
        assertThat(item(bill, "X-Ray", "")).as("no tracing").isZero();
        assertThat(item(bill, "DynamoDB", "device-state writes")).isCloseTo(16.6667 * SECONDS / 1e6 * 0.625, CENT);
        assertThat(item(bill, "DynamoDB", "point-in-time")).isZero();
        // one 1m resolution: 1/60 + 1/300 writes per device a second
        assertThat(item(bill, "DynamoDB", "aggregate writes"))
                .isCloseTo(1_000 * (1 / 60.0 + 1 / 300.0) * SECONDS / 1e6 * 0.625, CENT);
        // nothing versioned, no public IP, no KCL metrics, no key, no images
        assertThat(item(bill, "S3", "storage aggregates/ noncurrent")).isZero();
        assertThat(item(bill, "VPC", "")).isZero();
        assertThat(item(bill, "CloudWatch", "custom metrics")).isCloseTo(14 * 0.30, CENT);
        assertThat(item(bill, "KMS", "customer")).isZero();
        assertThat(item(bill, "ECR", "")).isZero();
        // 1 task x 730 h x 0.25 vCPU x $0.03238 = $5.909; x 0.5 GB x $0.00356 = $1.299
        assertThat(item(bill, "ECS Fargate", "stream-processor vCPU")).isCloseTo(5.909, CENT);
        assertThat(item(bill, "ECS Fargate", "stream-processor GB")).isCloseTo(1.299, CENT);
    }

    @Test
    void rawObjectsUnderTheSizeFilterStayInStandard() {
        // 1,000 devices: 100 records/s on 4 shards, 5 s windows of 125 records: 19 KB objects
        CostEstimate bill = model.design(new FleetWorkload(1_000, 1, 10, 4), Settings.templateDefaults());

        assertThat(bill.workload().rawObjectBytes()).isLessThan(128 * 1024);
        assertThat(item(bill, "S3", "storage raw/ STANDARD (days 0-365)")).isPositive();
        assertThat(item(bill, "S3", "storage raw/ STANDARD_IA")).isZero();
        assertThat(item(bill, "S3", "lifecycle transitions")).isZero();
        assertThat(bill.notes())
                .anySatisfy(note ->
                        assertThat(note).contains("lake raw/: objects of").contains("stay in STANDARD"));
    }

    @Test
    void aLongerDeviceStateIntervalWritesLess() {
        FleetWorkload fleet = new FleetWorkload(100_000, 1, 10, 4);
        var defaults = Settings.templateDefaults();
        var everyMessage = new io.github.iottelemetry.cost.settings.PipelineSettings(
                defaults.templateSource(),
                defaults.stream(),
                defaults.rules(),
                new io.github.iottelemetry.cost.settings.PipelineSettings.Ingest(1769, "arm64", 1000, 5, 1, true, 0),
                defaults.aggregation(),
                defaults.processor(),
                defaults.tables(),
                defaults.lake(),
                defaults.observability(),
                List.of());

        // every message: 10,000 writes/s = $16,425; every 60 s: 1,666.7/s = $2,737.50
        assertThat(item(model.design(fleet, everyMessage), "DynamoDB", "device-state writes"))
                .isCloseTo(16_425, CENT);
        assertThat(item(model.design(fleet, defaults), "DynamoDB", "device-state writes"))
                .isCloseTo(2_737.50, CENT);
    }

    /**
     * The naive design of the large fleet: 100,000 msg/s = 262.8 G messages a month, each billed as messaging
     * ($262,800), a PutMetricData call ($0.01/1,000: $2,628,000) and a device-state write per reading ($164,250).
     */
    @Test
    void naiveDesignPaysPerMessageAndPerReading() {
        FleetWorkload fleet = new FleetWorkload(100_000, 1, 10, 4);

        CostEstimate naive = model.naive(fleet, Settings.templateDefaults());
        CostEstimate design = model.design(fleet, Settings.templateDefaults());

        assertThat(naive.messagesPerMonth()).isCloseTo(262.8e9, within(1.0));
        assertThat(item(naive, "IoT Core", "messaging")).isCloseTo(262_800, CENT);
        // plus KCL's: 100,000 records/s need 100 shards, 200 on demand, 1,015 data points every 10 s in 51 requests
        assertThat(item(naive, "CloudWatch", "PutMetricData"))
                .isCloseTo(2_628_000 + 51 / 10.0 * SECONDS / 1000 * 0.01, CENT);
        assertThat(item(naive, "DynamoDB", "device-state writes, one per reading"))
                .isCloseTo(164_250, CENT);
        assertThat(naive.readingsPerMonth()).isEqualTo(design.readingsPerMonth());
        assertThat(design.totalUsd()).isLessThan(naive.totalUsd() / 10);
    }

    @Test
    void lakeObjectsPerShardFollowTheDeviceBuckets() {
        assertThat(CostModel.lakeBucketsPerShard(4)).isEqualTo(4);
        assertThat(CostModel.lakeBucketsPerShard(16)).isEqualTo(1);
        assertThat(CostModel.lakeBucketsPerShard(32)).isEqualTo(1);
        assertThat(CostModel.lakeBucketsPerShard(6)).isCloseTo(16 / 6.0 + 1, within(1e-9));
        assertThat(CostModel.lakeBucketsPerShard(40)).isCloseTo(1.4, within(1e-9));
    }
}
