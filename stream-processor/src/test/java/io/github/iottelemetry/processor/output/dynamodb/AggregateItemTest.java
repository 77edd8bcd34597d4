package io.github.iottelemetry.processor.output.dynamodb;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.iottelemetry.core.aggregate.MetricAggregate;
import io.github.iottelemetry.core.aggregate.WindowKey;
import io.github.iottelemetry.core.window.Resolution;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.enhanced.dynamodb.TableSchema;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** The item the writer puts: when it expires, and what it weighs in DynamoDB's write units. */
class AggregateItemTest {
    private static final long START = 1_763_884_800_000L;
    private static final AggregatesTimeToLive HOT_MINUTES =
            new AggregatesTimeToLive(Duration.ofDays(7), Duration.ofDays(365));

    /** A window as a device reading every second with 10 readings per message fills it, values with two decimals. */
    private static Map<String, MetricAggregate> window(Resolution resolution, int metrics) {
        String[] names = {"temperature", "humidity", "battery", "pressure", "co2", "voltage"};
        Map<String, MetricAggregate> result = new TreeMap<>();
        for (int m = 0; m < metrics; m++) {
            MetricAggregate aggregate = new MetricAggregate();
            long seq = 1_287_654L;
            for (int i = 0; i < resolution.millis() / 1000; i++) {
                if (i % 10 == 0) {
                    aggregate.openMessage(++seq, seq);
                }
                aggregate.add(START + i * 1000L, seq, i % 10, 1000 + m + ((i * 37 + m * 11) % 997) / 100.0);
            }
            result.put(names[m], aggregate);
        }
        return result;
    }

    @Test
    void windowsShorterThanAnHourExpireAfterTheHotTierTheOthersAfterTheRetention() {
        Resolution minute = Resolution.parse("1m");
        Resolution hour = Resolution.parse("1h");
        WindowKey minuteKey = new WindowKey("sim-000042", minute, START);
        WindowKey hourKey = new WindowKey("sim-000042", hour, START);

        AggregateItem minuteItem = AggregatesTableWriter.toItem(minuteKey, null, window(minute, 1), HOT_MINUTES);
        AggregateItem hourItem = AggregatesTableWriter.toItem(hourKey, null, window(hour, 1), HOT_MINUTES);

        assertThat(minuteItem.getExpiresAt())
                .isEqualTo((START + 60_000 + Duration.ofDays(7).toMillis()) / 1000);
        assertThat(hourItem.getExpiresAt())
                .isEqualTo((START + 3_600_000 + Duration.ofDays(365).toMillis()) / 1000);
        assertThat(AggregatesTimeToLive.uniform(Duration.ofDays(30)).of(minute)).isEqualTo(Duration.ofDays(30));
    }

    /**
     * The cost model (pipeline cost) prices a window write of 4 metrics as one write unit (1 KB) and a read as one
     * read unit (4 KB): this holds the item to it, measured with DynamoDB's item size rules.
     */
    @Test
    void aWindowOfFourMetricsIsOneWriteUnitAndFiveAreStillOne() {
        for (String label : new String[] {"1m", "1h"}) {
            Resolution resolution = Resolution.parse(label);
            WindowKey key = new WindowKey("sim-099999", resolution, START);
            AggregateItem four = AggregatesTableWriter.toItem(key, null, window(resolution, 4), HOT_MINUTES);
            AggregateItem five = AggregatesTableWriter.toItem(key, null, window(resolution, 5), HOT_MINUTES);
            AggregateItem six = AggregatesTableWriter.toItem(key, null, window(resolution, 6), HOT_MINUTES);

            assertThat(itemBytes(four)).as("%s, 4 metrics", label).isBetween(700, 1024);
            assertThat(itemBytes(five)).as("%s, 5 metrics", label).isLessThanOrEqualTo(1024);
            assertThat(itemBytes(six))
                    .as("%s, 6 metrics: two write units", label)
                    .isGreaterThan(1024);
        }
    }

    /** DynamoDB's item size: attribute names plus values; a number is about one byte per two significant digits plus one. */
    static int itemBytes(AggregateItem item) {
        int bytes = 0;
        for (Map.Entry<String, AttributeValue> e :
                TableSchema.fromBean(AggregateItem.class).itemToMap(item, true).entrySet()) {
            bytes += e.getKey().getBytes(StandardCharsets.UTF_8).length + valueBytes(e.getValue());
        }
        return bytes;
    }

    private static int valueBytes(AttributeValue value) {
        if (value.s() != null) {
            return value.s().getBytes(StandardCharsets.UTF_8).length;
        }
        if (value.n() != null) {
            String digits = value.n()
                    .replace("-", "")
                    .replace(".", "")
                    .replaceFirst("^0+", "")
                    .replaceFirst("0+$", "");
            return (Math.max(1, digits.length()) + 1) / 2 + 1;
        }
        if (value.bool() != null || Boolean.TRUE.equals(value.nul())) {
            return 1;
        }
        if (value.hasM()) {
            int bytes = 3;
            for (Map.Entry<String, AttributeValue> e : value.m().entrySet()) {
                bytes += e.getKey().getBytes(StandardCharsets.UTF_8).length + valueBytes(e.getValue()) + 1;
            }
            return bytes;
        }
        throw new IllegalArgumentException("no size rule for " + value);
    }
}
