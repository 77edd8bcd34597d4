package io.github.iottelemetry.sim.faults;

import io.github.iottelemetry.core.ledger.LedgerEntry;
import io.github.iottelemetry.core.payload.Reading;
import io.github.iottelemetry.core.payload.TelemetryCodec;
import io.github.iottelemetry.core.payload.TelemetryMessage;
import io.github.iottelemetry.core.validation.ReasonCode;
import io.github.iottelemetry.core.validation.ValidationLimits;
import io.github.iottelemetry.sim.signal.DeviceSignal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A device's messages: a batch of readings ending now, or, at the configured rates, a fault whose expected
 * outcome follows from telemetry-core's limits. Time offsets keep clear of the limits (half the allowed
 * lateness, an hour inside or outside the horizon) so clock jitter cannot change an outcome.
 * Not thread-safe: one factory per device, used by one thread at a time.
 */
public final class MessageFactory {

    private static final long MINUTE = 60_000;
    private static final long HOUR = 60 * MINUTE;

    private final String thing;
    private final String otherThing;
    private final DeviceSignal signal;
    private final FaultRates rates;
    private final ValidationLimits limits;
    private final int batch;
    private final long readingIntervalMillis;
    private final SplittableRandom random;
    private volatile OutgoingMessage lastAcknowledged;

    /**
     * @param otherThing a different device of the fleet, whose name identity spoofing puts into the payload
     */
    public MessageFactory(
            String thing,
            String otherThing,
            DeviceSignal signal,
            FaultRates rates,
            ValidationLimits limits,
            int batch,
            long readingIntervalMillis,
            long seed) {
        this.thing = thing;
        this.otherThing = otherThing;
        this.signal = signal;
        this.rates = rates;
        this.limits = limits;
        this.batch = batch;
        this.readingIntervalMillis = readingIntervalMillis;
        this.random = new SplittableRandom(seed ^ ((long) thing.hashCode() << 17));
    }

    /** Remembers the last normal message the broker acknowledged: what a duplicate resends. */
    public void acknowledged(OutgoingMessage message) {
        if (message.fault() == null) {
            lastAcknowledged = message;
        }
    }

    /**
     * The next message at {@code now}. Every message but a duplicate takes a new seq from {@code seqs}.
     */
    public OutgoingMessage next(long now, SeqSource seqs) {
        FaultKind fault = rates.pick(random.nextDouble());
        if (fault == FaultKind.DUPLICATE) {
            OutgoingMessage original = lastAcknowledged;
            if (original == null) {
                fault = null; // nothing acknowledged yet to resend
            } else {
                LedgerEntry e = original.expected();
                return new OutgoingMessage(
                        thing,
                        original.seq(),
                        original.payload(),
                        LedgerEntry.duplicate(e.deviceId(), e.seq(), e.sentAt(), false),
                        FaultKind.DUPLICATE);
            }
        }
        long seq = seqs.nextSeq();
        long readingsEnd = now;
        if (fault == FaultKind.OUT_OF_ORDER) {
            readingsEnd =
                    now - span(5_000, Math.max(10_000, limits.allowedLateness().toMillis() / 2));
        } else if (fault == FaultKind.LATE_CORRECTION) {
            readingsEnd = now
                    - span(
                            limits.allowedLateness().toMillis() + 10 * MINUTE,
                            limits.correctionHorizon().toMillis() - HOUR);
        } else if (fault == FaultKind.BEYOND_HORIZON) {
            readingsEnd =
                    now - limits.correctionHorizon().toMillis() - batch * readingIntervalMillis - span(HOUR, 6 * HOUR);
        }
        List<Reading> readings = new ArrayList<>(batch);
        for (int i = batch - 1; i >= 0; i--) {
            readings.add(signal.reading(readingsEnd - i * readingIntervalMillis));
        }
        TelemetryMessage message = TelemetryMessage.fromDevice(thing, seq, now, readings);
        if (fault == null || fault == FaultKind.OUT_OF_ORDER || fault == FaultKind.LATE_CORRECTION) {
            return new OutgoingMessage(
                    thing, seq, TelemetryCodec.encode(message), LedgerEntry.counted(message, false), fault);
        }
        byte[] valid = TelemetryCodec.encode(message);
        return switch (fault) {
            case BEYOND_HORIZON -> quarantined(seq, now, valid, fault, ReasonCode.LATE);
            case MALFORMED_JSON ->
                quarantined(seq, now, Arrays.copyOf(valid, valid.length * 2 / 3), fault, ReasonCode.MALFORMED_JSON);
            case SCHEMA_VIOLATION ->
                quarantined(
                        seq,
                        now,
                        replaceOnce(valid, "\"seq\":" + seq, "\"seq\":\"" + seq + "\""),
                        fault,
                        ReasonCode.SCHEMA_VIOLATION);
            case IDENTITY_SPOOF ->
                quarantined(
                        seq,
                        now,
                        TelemetryCodec.encode(TelemetryMessage.fromDevice(otherThing, seq, now, readings)),
                        fault,
                        ReasonCode.IDENTITY_MISMATCH);
            case OVERSIZE ->
                quarantined(
                        seq,
                        now,
                        padded(valid, limits.maxPayloadBytes() + limits.envelopeAllowanceBytes() + 1024),
                        fault,
                        ReasonCode.TOO_LARGE);
            default -> throw new IllegalStateException("fault " + fault + " has no payload rule");
        };
    }

    /** Where seqs come from: persisted per device so that a restart never reuses one. */
    @FunctionalInterface
    public interface SeqSource {
        long nextSeq();
    }

    private OutgoingMessage quarantined(long seq, long sentAt, byte[] payload, FaultKind fault, ReasonCode reason) {
        return new OutgoingMessage(
                thing, seq, payload, LedgerEntry.quarantined(thing, seq, sentAt, false, reason), fault);
    }

    private long span(long from, long to) {
        return to <= from ? from : random.nextLong(from, to);
    }

    private static byte[] replaceOnce(byte[] json, String from, String to) {
        String text = new String(json, StandardCharsets.UTF_8);
        int at = text.indexOf(from);
        if (at < 0) {
            throw new IllegalStateException("encoded message has no '" + from + "'");
        }
        return (text.substring(0, at) + to + text.substring(at + from.length())).getBytes(StandardCharsets.UTF_8);
    }

    /** The valid message with an extra top-level field (tolerated by the schema) that brings it to {@code size} bytes. */
    private static byte[] padded(byte[] json, int size) {
        String prefix = ",\"padding\":\"";
        int fill = Math.max(0, size - json.length - prefix.length() - 1);
        byte[] out = new byte[json.length + prefix.length() + fill + 1];
        System.arraycopy(json, 0, out, 0, json.length - 1);
        int at = json.length - 1;
        byte[] prefixBytes = prefix.getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(prefixBytes, 0, out, at, prefixBytes.length);
        at += prefixBytes.length;
        Arrays.fill(out, at, at + fill, (byte) 'x');
        at += fill;
        out[at++] = '"';
        out[at] = '}';
        return out;
    }
}
