package io.github.iottelemetry.core.payload;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.iottelemetry.core.support.Messages;
import io.github.iottelemetry.core.validation.InvalidTelemetryException;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/**
 * The fast decoder against the Jackson reference: whatever the fast path accepts, the reference
 * accepts and decodes equal; it takes the common shape; everything odd is left to the reference.
 */
class FastDecoderDifferentialTest {
    private static final byte[] INTERESTING =
            " \t\n{}[]:,\"\\-.0123456789eE+aAzZ_tsm\u00e9".getBytes(StandardCharsets.UTF_8);

    @Test
    void takesTheCommonShape() throws InvalidTelemetryException {
        byte[] record = TelemetryCodec.encode(Messages.fromRule("sim-000042", 12, 10));
        TelemetryMessage fast = FastTelemetryDecoder.tryDecode(record);
        assertThat(fast).isNotNull().isEqualTo(TelemetryCodec.decodeReference(record, 0, record.length));
        byte[] exponents = new String(record, StandardCharsets.UTF_8)
                .replace("\"battery\":3.71", "\"battery\":371E-2")
                .getBytes(StandardCharsets.UTF_8);
        assertThat(FastTelemetryDecoder.tryDecode(exponents))
                .isEqualTo(TelemetryCodec.decodeReference(exponents, 0, exponents.length));
        String pretty = new String(record, StandardCharsets.UTF_8)
                .replace(",", " ,\n\t")
                .replace(":", " : ");
        assertThat(FastTelemetryDecoder.tryDecode(pretty.getBytes(StandardCharsets.UTF_8)))
                .isEqualTo(fast);
    }

    @Test
    void leavesOddInputToTheReference() {
        for (String odd : new String[] {
            "{\"schema\":\"telemetry.v1\",\"deviceId\":\"a\",\"seq\":1,\"sentAt\":5,\"readings\":[],\"extra\":1}",
            "{\"schema\":\"telemetry.v1\",\"deviceId\":\"a\\u0041\",\"seq\":1,\"sentAt\":5,\"readings\":[]}",
            "{\"schema\":\"telemetry.v1\",\"deviceId\":\"a\",\"seq\":1,\"sentAt\":5,\"readings\":[{\"ts\":1,\"m\":{\"t\":1e999}}]}",
            "{\"schema\":\"telemetry.v1\",\"deviceId\":\"a\",\"seq\":01,\"sentAt\":5,\"readings\":[]}",
            "{\"schema\":\"telemetry.v1\",\"deviceId\":\"a\",\"seq\":1,\"sentAt\":5,\"readings\":[]} x",
            "{\"schema\":\"telemetry.v1\",\"deviceId\":\"a\",\"seq\":1,\"sentAt\":5,\"readings\":[{\"ts\":1,\"m\":{}}]}",
            "{\"schema\":\"telemetry.v1\",\"deviceId\":\"a\",\"seq\":1,\"sentAt\":5,\"readings\":[{\"ts\":1,\"m\":{\"t\":1,\"t\":2}}]}",
            "{\"schema\":\"telemetry.v1\",\"deviceId\":\"a\",\"seq\":1,\"sentAt\":5,\"readings\":[{\"ts\":1,\"m\":{\"t\":-1234567890123456}}]}",
            "{\"schema\":\"telemetry.v1\",\"deviceId\":\"a\",\"seq\":1,\"sentAt\":5,\"readings\":[{\"ts\":1,\"m\":{\"t\":1}}]",
            "\u00ef\u00bb\u00bf{}",
        }) {
            assertThat(FastTelemetryDecoder.tryDecode(odd.getBytes(StandardCharsets.UTF_8)))
                    .as(odd)
                    .isNull();
        }
    }

    @Property(tries = 3000)
    void neverAcceptsWhatTheReferenceRejectsAndAgreesOnWhatBothAccept(
            @ForAll @IntRange(min = 1, max = 12) int readings,
            @ForAll long seed,
            @ForAll @IntRange(min = 0, max = 3) int mutations) {
        Random rnd = new Random(seed);
        byte[] record =
                TelemetryCodec.encode(Messages.fromRule("sim-" + rnd.nextInt(1000), rnd.nextInt(1 << 20), readings));
        for (int m = 0; m < mutations; m++) {
            record = mutate(record, rnd);
        }
        TelemetryMessage fast = FastTelemetryDecoder.tryDecode(record);
        if (fast == null) {
            return;
        }
        TelemetryMessage reference;
        try {
            reference = TelemetryCodec.decodeReference(record, 0, record.length);
        } catch (InvalidTelemetryException e) {
            throw new AssertionError("fast path accepted what the reference rejects (" + e.getMessage() + "): "
                    + new String(record, StandardCharsets.UTF_8));
        }
        assertThat(fast).as(new String(record, StandardCharsets.UTF_8)).isEqualTo(reference);
    }

    private static byte[] mutate(byte[] in, Random rnd) {
        int at = rnd.nextInt(in.length);
        byte b = INTERESTING[rnd.nextInt(INTERESTING.length)];
        return switch (rnd.nextInt(3)) {
            case 0 -> { // replace
                byte[] out = in.clone();
                out[at] = b;
                yield out;
            }
            case 1 -> { // delete
                byte[] out = new byte[in.length - 1];
                System.arraycopy(in, 0, out, 0, at);
                System.arraycopy(in, at + 1, out, at, in.length - at - 1);
                yield out;
            }
            default -> { // insert
                byte[] out = new byte[in.length + 1];
                System.arraycopy(in, 0, out, 0, at);
                out[at] = b;
                System.arraycopy(in, at, out, at + 1, in.length - at);
                yield out;
            }
        };
    }
}
