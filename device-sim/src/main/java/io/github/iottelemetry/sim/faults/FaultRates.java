package io.github.iottelemetry.sim.faults;

import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;

/**
 * The probability of each fault per generated message. Presets: {@code none}, {@code default} (about 2% of
 * messages carry a fault) and {@code heavy} (about 20%); a preset can be followed by overrides,
 * {@code default,duplicate=0.05,oversize=0}, or overrides alone start from {@code none}.
 */
public final class FaultRates {

    private final Map<FaultKind, Double> rates;

    private FaultRates(Map<FaultKind, Double> rates) {
        this.rates = Collections.unmodifiableMap(new EnumMap<>(rates));
        double total = 0;
        for (double rate : rates.values()) {
            total += rate;
        }
        if (total > 1) {
            throw new IllegalArgumentException(
                    "fault rates add up to " + total + ", more than 1 (one fault at most per message)");
        }
    }

    public static FaultRates none() {
        return new FaultRates(new EnumMap<>(FaultKind.class));
    }

    public static FaultRates defaults() {
        return preset(1);
    }

    public static FaultRates heavy() {
        return preset(10);
    }

    private static FaultRates preset(double factor) {
        EnumMap<FaultKind, Double> rates = new EnumMap<>(FaultKind.class);
        rates.put(FaultKind.DUPLICATE, 0.005 * factor);
        rates.put(FaultKind.OUT_OF_ORDER, 0.005 * factor);
        rates.put(FaultKind.LATE_CORRECTION, 0.002 * factor);
        rates.put(FaultKind.BEYOND_HORIZON, 0.001 * factor);
        rates.put(FaultKind.MALFORMED_JSON, 0.001 * factor);
        rates.put(FaultKind.SCHEMA_VIOLATION, 0.001 * factor);
        rates.put(FaultKind.IDENTITY_SPOOF, 0.001 * factor);
        rates.put(FaultKind.OVERSIZE, 0.0005 * factor);
        return new FaultRates(rates);
    }

    public static FaultRates parse(String spec) {
        EnumMap<FaultKind, Double> rates = new EnumMap<>(FaultKind.class);
        String[] parts = spec.split(",");
        for (int i = 0; i < parts.length; i++) {
            String part = parts[i].strip();
            if (part.isEmpty()) {
                continue;
            }
            int equals = part.indexOf('=');
            if (equals < 0) {
                if (i > 0) {
                    throw new IllegalArgumentException(
                            "--faults '" + spec + "': a preset (none, default, heavy) goes first");
                }
                FaultRates preset = switch (part.toLowerCase(java.util.Locale.ROOT)) {
                    case "none" -> none();
                    case "default" -> defaults();
                    case "heavy" -> heavy();
                    default ->
                        throw new IllegalArgumentException(
                                "--faults '" + part + "': use none, default, heavy or kind=rate");
                };
                rates.putAll(preset.rates);
                continue;
            }
            FaultKind kind = FaultKind.fromFlag(part.substring(0, equals).strip());
            double rate;
            try {
                rate = Double.parseDouble(part.substring(equals + 1).strip());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("--faults " + part + ": the rate is not a number");
            }
            if (!(rate >= 0 && rate <= 1)) {
                throw new IllegalArgumentException("--faults " + part + ": a rate is a probability from 0 to 1");
            }
            rates.put(kind, rate);
        }
        return new FaultRates(rates);
    }

    public double rate(FaultKind kind) {
        return rates.getOrDefault(kind, 0.0);
    }

    /** The fault for a uniform draw in [0, 1), or null for a normal message. */
    public FaultKind pick(double draw) {
        double cumulative = 0;
        for (Map.Entry<FaultKind, Double> entry : rates.entrySet()) {
            cumulative += entry.getValue();
            if (draw < cumulative) {
                return entry.getKey();
            }
        }
        return null;
    }

    @Override
    public String toString() {
        StringBuilder text = new StringBuilder();
        rates.forEach((kind, rate) -> {
            if (rate > 0) {
                text.append(text.isEmpty() ? "" : ",")
                        .append(kind.flagName())
                        .append('=')
                        .append(rate);
            }
        });
        return text.isEmpty() ? "none" : text.toString();
    }
}
