package io.github.iottelemetry.verify;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/** Expected against observed aggregates: how many are exact, missing, extra or different, and the first differences. */
public record Comparison(
        String output, int exact, int missing, int extra, int different, List<String> firstDifferences) {
    static final int SHOWN = 10;

    public static Comparison of(
            String output, Map<WindowMetricKey, Observed> expected, Map<WindowMetricKey, Observed> actual) {
        int exact = 0;
        int missing = 0;
        int extra = 0;
        int different = 0;
        List<String> shown = new ArrayList<>();
        TreeSet<WindowMetricKey> keys = new TreeSet<>(expected.keySet());
        keys.addAll(actual.keySet());
        for (WindowMetricKey k : keys) {
            Observed e = expected.get(k);
            Observed a = actual.get(k);
            if (a == null) {
                missing++;
                note(shown, "missing   " + k + " expected " + e);
            } else if (e == null) {
                extra++;
                note(shown, "extra     " + k + " found " + a);
            } else if (e.matches(a)) {
                exact++;
            } else {
                different++;
                note(shown, "different " + k + "\n            expected " + e + "\n            found    " + a);
            }
        }
        return new Comparison(output, exact, missing, extra, different, List.copyOf(shown));
    }

    private static void note(List<String> shown, String line) {
        if (shown.size() < SHOWN) {
            shown.add(line);
        }
    }

    public boolean isExact() {
        return missing == 0 && extra == 0 && different == 0;
    }
}
