package io.github.iottelemetry.sim.fleet;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Problems grouped by cause, each counted once per affected device: bad input shows up as one line per cause
 * ("3 devices: ...") instead of a stack trace per device.
 */
public final class FailureTally {

    private final Map<String, Set<String>> devicesByCause = new ConcurrentHashMap<>();
    private final Map<String, String> exampleByCause = new ConcurrentHashMap<>();

    /**
     * @param cause what went wrong and what to do, the same text for every device with the same problem
     * @param detail the device-specific part (a file name, an error string), kept once as an example
     */
    public void record(String cause, String thing, String detail) {
        devicesByCause
                .computeIfAbsent(cause, c -> ConcurrentHashMap.newKeySet())
                .add(thing);
        exampleByCause.putIfAbsent(cause, thing + (detail == null || detail.isEmpty() ? "" : ": " + detail));
    }

    public boolean isEmpty() {
        return devicesByCause.isEmpty();
    }

    public int causeCount() {
        return devicesByCause.size();
    }

    public Map<String, Integer> counts() {
        Map<String, Integer> counts = new LinkedHashMap<>();
        devicesByCause.forEach((cause, devices) -> counts.put(cause, devices.size()));
        return counts;
    }

    /** One line per cause, most devices first. */
    public List<String> lines() {
        List<String> lines = new ArrayList<>();
        devicesByCause.entrySet().stream()
                .sorted((a, b) ->
                        Integer.compare(b.getValue().size(), a.getValue().size()))
                .forEach(e -> {
                    int n = e.getValue().size();
                    lines.add(n + (n == 1 ? " device: " : " devices: ") + e.getKey() + " (e.g. "
                            + exampleByCause.get(e.getKey()) + ")");
                });
        return lines;
    }
}
