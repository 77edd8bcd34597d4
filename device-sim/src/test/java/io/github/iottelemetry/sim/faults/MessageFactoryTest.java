package io.github.iottelemetry.sim.faults;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.iottelemetry.core.ledger.ExpectedOutcome;
import io.github.iottelemetry.core.validation.TelemetryValidator;
import io.github.iottelemetry.core.validation.ValidationLimits;
import io.github.iottelemetry.core.validation.ValidationResult;
import io.github.iottelemetry.sim.signal.DeviceSignal;
import java.io.IOException;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Each fault, validated by telemetry-core's validator as the pipeline will, gives exactly the ledger's expected outcome. */
class MessageFactoryTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final TelemetryValidator validator = new TelemetryValidator(ValidationLimits.defaults());

    @ParameterizedTest
    @EnumSource(FaultKind.class)
    void everyFaultValidatesToItsExpectedOutcome(FaultKind kind) throws IOException {
        MessageFactory factory = new MessageFactory(
                "sim-000001",
                "sim-000002",
                new DeviceSignal(5, "sim-000001", 0),
                FaultRates.parse(kind.flagName() + "=1"),
                ValidationLimits.defaults(),
                10,
                1000,
                5);
        AtomicLong seq = new AtomicLong(100);
        long now = System.currentTimeMillis();
        if (kind == FaultKind.DUPLICATE) {
            OutgoingMessage original = new MessageFactory(
                            "sim-000001",
                            "sim-000002",
                            new DeviceSignal(5, "sim-000001", 0),
                            FaultRates.none(),
                            ValidationLimits.defaults(),
                            10,
                            1000,
                            5)
                    .next(now, seq::getAndIncrement);
            factory.acknowledged(original);
            OutgoingMessage duplicate = factory.next(now, seq::getAndIncrement);
            assertThat(duplicate.seq()).isEqualTo(original.seq());
            assertThat(duplicate.payload()).isEqualTo(original.payload());
            assertThat(duplicate.expected().outcome()).isEqualTo(ExpectedOutcome.DUPLICATE);
            assertThat(seq.get()).isEqualTo(101);
            return;
        }
        for (int i = 0; i < 20; i++) {
            OutgoingMessage message = factory.next(now, seq::getAndIncrement);
            assertThat(message.fault()).isEqualTo(kind);
            ValidationResult result =
                    validator.validate(asTheRuleForwardsIt(message.payload(), "sim-000001", now), now);
            if (message.expected().outcome() == ExpectedOutcome.QUARANTINED) {
                assertThat(result)
                        .isInstanceOfSatisfying(
                                ValidationResult.Quarantined.class,
                                q -> assertThat(q.reason())
                                        .isEqualTo(message.expected().reason()));
            } else {
                assertThat(result).as(kind + " is COUNTED").isInstanceOf(ValidationResult.Valid.class);
                long oldest = ((ValidationResult.Valid) result)
                        .message()
                        .readings()
                        .get(0)
                        .ts();
                if (kind == FaultKind.OUT_OF_ORDER) {
                    assertThat(now - oldest).isLessThan(ValidationLimits.DEFAULT_ALLOWED_LATENESS.toMillis());
                }
                if (kind == FaultKind.LATE_CORRECTION) {
                    assertThat(now - oldest).isGreaterThan(ValidationLimits.DEFAULT_ALLOWED_LATENESS.toMillis());
                }
            }
        }
    }

    private static byte[] asTheRuleForwardsIt(byte[] payload, String thing, long ingestTs) throws IOException {
        JsonNode node;
        try {
            node = JSON.readTree(payload);
        } catch (IOException malformed) {
            return payload;
        }
        ObjectNode object = (ObjectNode) node;
        object.put("thing", thing);
        object.put("ingestTs", ingestTs);
        return JSON.writeValueAsBytes(object);
    }
}
