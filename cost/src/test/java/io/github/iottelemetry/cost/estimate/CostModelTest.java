package io.github.iottelemetry.cost.estimate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.github.iottelemetry.cost.fleet.FleetWorkload;
import io.github.iottelemetry.cost.fleet.MessageSizer;
import io.github.iottelemetry.cost.price.PriceTable;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;

/**
 * Hand-computed bills for two configurations, priced with the bundled us-east-1 table. A month is 730 h =
 * 2,628,000 s. Prices used: connection $0.08/M min, messages $1.00/M, rules and actions $0.15/M, shard-hour
 * $0.015, PUT payload unit $0.014/M, on-demand stream-hour $0.04, in $0.08/GB, out $0.04/GB, Lambda $0.20/M
 * requests and $0.0000133334/GB-s (arm), DynamoDB $0.625/M WRU and $0.25/GB-month, S3 PUT $0.005/1,000 and
 * Standard $0.023/GB-month, Athena $5/TB, CloudWatch metric $0.30, PutMetricData $0.01/1,000, Fargate ARM
 * $0.03238/vCPU-h and $0.00356/GB-h.
 */
class CostModelTest {

  private static final Offset<Double> CENT = within(0.01);
  private final CostModel model = new CostModel(PriceTable.bundled().region("us-east-1"), ModelAssumptions.standard());

  private static double item(CostEstimate estimate, String service, String itemStart) {
    return estimate.lineItems().stream()
        .filter(line -> line.service().equals(service) && line.item().startsWith(itemStart))
        .mapToDouble(LineItem::monthlyUsd).sum();
  }

  /**
   * 1,000 devices, a reading every 10 s, 6 per message: a message every 60 s, 16.667 msg/s, 43,800,000 messages
   * and 262,800,000 readings a month.
   */
  @Test
  void smallProvisionedFleet() {
    FleetWorkload fleet = new FleetWorkload(1_000, 10, 6, 4);
    assertThat(MessageSizer.mqttBytes(fleet)).isLessThan(5 * 1024); // one 5 KB metering unit per message
    assertThat(MessageSizer.kinesisRecordBytes(fleet)).isLessThan(25 * 1024); // one PUT payload unit per record

    CostEstimate bill = model.design(fleet, Settings.smallProvisioned());

    assertThat(bill.messagesPerMonth()).isCloseTo(43_800_000, within(1.0));
    assertThat(bill.readingsPerMonth()).isCloseTo(262_800_000, within(1.0));
    // connection: 1,000 devices x 730 h x 60 = 43.8 M minutes x $0.08 = $3.504
    assertThat(item(bill, "IoT Core", "connection minutes")).isCloseTo(3.504, CENT);
    // messaging: 43.8 M x $1.00 = $43.80; rules and actions: 43.8 M x $0.15 = $6.57 each
    assertThat(item(bill, "IoT Core", "messaging")).isCloseTo(43.80, CENT);
    assertThat(item(bill, "IoT Core", "rules triggered")).isCloseTo(6.57, CENT);
    assertThat(item(bill, "IoT Core", "rule actions")).isCloseTo(6.57, CENT);
    // 1 shard x 730 h x $0.015 = $10.95; 43.8 M PUT payload units x $0.014 = $0.6132
    assertThat(bill.kinesisShards()).isEqualTo(1);
    assertThat(item(bill, "Kinesis", "shard hours")).isCloseTo(10.95, CENT);
    assertThat(item(bill, "Kinesis", "PUT payload units")).isCloseTo(0.6132, CENT);
    // 16.667 records/s on one shard; a 100-record batch would take 6 s, so the 5 s window flushes first:
    // 0.2 invocations/s of 83.33 records, 25 + 0.5 x 83.33 = 66.67 ms each. 0.2 x 2,628,000 = 525,600 requests
    // x $0.20/M = $0.10512; 525,600 x 0.06667 s x 0.25 GB = 8,760 GB-s x $0.0000133334 = $0.1168
    assertThat(bill.lambdaInvocationsPerSecond()).isCloseTo(0.2, within(1e-9));
    assertThat(bill.recordsPerInvocation()).isCloseTo(83.333, within(0.001));
    assertThat(item(bill, "Lambda", "ingest requests")).isCloseTo(0.10512, within(1e-6));
    assertThat(item(bill, "Lambda", "ingest duration")).isCloseTo(0.1168, within(1e-4));
    // device state (270 B, 1 WRU): 83.33 distinct devices per batch x 0.2/s = 16.667/s = 43.8 M x $0.625/M = $27.375
    assertThat(item(bill, "DynamoDB", "device-state writes")).isCloseTo(27.375, CENT);
    // aggregates (730 B, 1 WRU): 1,000 devices x 43,800 one-minute windows = 43.8 M x $0.625/M = $27.375
    assertThat(item(bill, "DynamoDB", "aggregate writes")).isCloseTo(27.375, CENT);
    // storage: 1,000 x (270 + 100) B + 1,000 x 10,080 windows in 7 days x (730 + 100) B = 8,366,770,000 B
    // = 7.7922 GiB x $0.25 = $1.948
    assertThat(item(bill, "DynamoDB", "storage")).isCloseTo(1.948, CENT);
    // 525,600 raw PUTs = $2.628; Parquet 1 shard x 1,440 windows a day x 30.417 days = 43,800 PUTs = $0.219
    assertThat(item(bill, "S3", "PUT raw")).isCloseTo(2.628, CENT);
    assertThat(item(bill, "S3", "PUT Parquet")).isCloseTo(0.219, CENT);
    // Parquet: 1,000 x 4 metrics x 1,440 windows x 24 B = 138,240,000 B a day x 7 days = 0.9012 GiB x $0.023
    assertThat(item(bill, "S3", "storage aggregates/ STANDARD")).isCloseTo(0.0207, within(1e-4));
    // dashboard: 8,760 queries an hour's Parquet (5.76 MB, billed as the 10 MB minimum) = 0.08354 TiB x $5 = $0.418
    assertThat(item(bill, "Athena", "dashboard")).isCloseTo(0.418, CENT);
    // 20 EMF metrics x $0.30 = $6; no PutMetricData
    assertThat(item(bill, "CloudWatch", "custom metrics")).isCloseTo(6.00, CENT);
    assertThat(item(bill, "CloudWatch", "PutMetricData")).isZero();
    // 1 task x 730 h x 0.25 vCPU x $0.03238 = $5.909; x 0.5 GB x $0.00356 = $1.299
    assertThat(item(bill, "ECS Fargate", "stream-processor vCPU")).isCloseTo(5.909, CENT);
    assertThat(item(bill, "ECS Fargate", "stream-processor GB")).isCloseTo(1.299, CENT);
  }

  /**
   * 100,000 devices, a reading every second, 10 per message: 10,000 msg/s, 26.28 G messages and 262.8 G
   * readings a month. Records are 1-2 KB, so on-demand bills each as 2 KB.
   */
  @Test
  void largeOnDemandFleetWithBasicIngest() {
    FleetWorkload fleet = new FleetWorkload(100_000, 1, 10, 4);
    assertThat(MessageSizer.kinesisRecordBytes(fleet)).isBetween(1025, 2048);

    CostEstimate bill = model.design(fleet, Settings.largeOnDemand());

    // Basic Ingest: no messaging charge; rules and actions 26,280 M x $0.15 = $3,942 each
    assertThat(item(bill, "IoT Core", "messaging")).isZero();
    assertThat(item(bill, "IoT Core", "rules triggered")).isCloseTo(3_942, CENT);
    assertThat(item(bill, "IoT Core", "rule actions")).isCloseTo(3_942, CENT);
    // shards needed: 10,000 x 2 KB = 19.5 MiB/s -> 20; on demand 2 x 20 = 40 shards
    assertThat(CostModel.shardsNeeded(fleet)).isEqualTo(20);
    assertThat(bill.kinesisShards()).isEqualTo(40);
    // in: 26.28 G records x 2,048 B = 50,125.12 GiB x $0.08 = $4,010.01; out: 2 consumers x $0.04 = the same
    assertThat(item(bill, "Kinesis", "on-demand data in")).isCloseTo(4_010.01, CENT);
    assertThat(item(bill, "Kinesis", "on-demand data out")).isCloseTo(4_010.01, CENT);
    assertThat(item(bill, "Kinesis", "on-demand stream hours")).isCloseTo(29.20, CENT);
    // 250 records/s per shard; 500 would take 2 s, the 1 s window flushes: 40 invocations/s of 250 records,
    // 25 + 125 = 150 ms. 105.12 M requests x $0.20 = $21.02; 105.12 M x 0.15 s x 0.5 GB = 7.884 M GB-s = $105.12
    assertThat(bill.lambdaInvocationsPerSecond()).isCloseTo(40, within(1e-9));
    assertThat(item(bill, "Lambda", "ingest requests")).isCloseTo(21.024, CENT);
    assertThat(item(bill, "Lambda", "ingest duration")).isCloseTo(105.12, CENT);
    // every record in a batch is another device (2,500 devices per shard, 250 records): 10,000 writes/s
    // = 26,280 M WRU x $0.625/M = $16,425
    assertThat(item(bill, "DynamoDB", "device-state writes")).isCloseTo(16_425, CENT);
    // aggregates: 100,000 x (43,800 + 730) windows = 4,453 M WRU x $0.625/M = $2,783.13
    assertThat(item(bill, "DynamoDB", "aggregate writes")).isCloseTo(2_783.125, CENT);
    // 1 dashboard x $3, 2 alarms x $0.10
    assertThat(item(bill, "CloudWatch", "dashboards")).isCloseTo(3.00, CENT);
    assertThat(item(bill, "CloudWatch", "alarms")).isCloseTo(0.20, CENT);
    // 2 tasks x 730 h x 1 vCPU x $0.03238 = $47.27; x 2 GB x $0.00356 = $10.39
    assertThat(item(bill, "ECS Fargate", "stream-processor vCPU")).isCloseTo(47.2748, CENT);
    assertThat(item(bill, "ECS Fargate", "stream-processor GB")).isCloseTo(10.3952, CENT);
    assertThat(bill.usdPerMillionReadings()).isCloseTo(bill.totalUsd() / 262_800, within(1e-9));
  }

  /**
   * The naive design of the large fleet: 100,000 msg/s = 262.8 G messages a month, each billed as messaging
   * ($262,800), a PutMetricData call ($0.01/1,000: $2,628,000) and a DynamoDB write per reading ($164,250).
   */
  @Test
  void naiveDesignPaysPerMessageAndPerReading() {
    FleetWorkload fleet = new FleetWorkload(100_000, 1, 10, 4);

    CostEstimate naive = model.naive(fleet, Settings.largeOnDemand());
    CostEstimate design = model.design(fleet, Settings.largeOnDemand());

    assertThat(naive.messagesPerMonth()).isCloseTo(262.8e9, within(1.0));
    assertThat(item(naive, "IoT Core", "messaging")).isCloseTo(262_800, CENT);
    assertThat(item(naive, "CloudWatch", "PutMetricData")).isCloseTo(2_628_000, CENT);
    assertThat(item(naive, "DynamoDB", "device-state writes, one per reading")).isCloseTo(164_250, CENT);
    assertThat(naive.readingsPerMonth()).isEqualTo(design.readingsPerMonth());
    assertThat(design.totalUsd()).isLessThan(naive.totalUsd() / 10);
  }
}
