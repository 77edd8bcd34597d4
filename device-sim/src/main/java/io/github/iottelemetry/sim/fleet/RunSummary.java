package io.github.iottelemetry.sim.fleet;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The outcome of a run, for the summary table, {@code --json} and benchmarks.
 *
 * @param unacked messages generated that have no successful PUBACK (refused, dropped, abandoned): in the ledger as
 *     unacknowledged
 * @param errors refused publishes + publishes that ended without a PUBACK + failed connect attempts
 */
public record RunSummary(
        int devices,
        int activeDevices,
        int everConnected,
        long generated,
        long sent,
        long acked,
        long unacked,
        long refused,
        long dropped,
        long reconnects,
        long errors,
        double p50Ms,
        double p99Ms,
        double connectSeconds,
        double runSeconds,
        String ledger,
        long ledgerEntries,
        String ledgerFailure,
        List<String> problems) {

    public static RunSummary of(
            FleetRunner runner, double runSeconds, String ledgerFile, long ledgerEntries, String ledgerFailure) {
        FleetStats s = runner.stats();
        long generated = s.generated.sum();
        long acked = s.acked.sum();
        return new RunSummary(
                runner.fleetSize(),
                runner.activeDevices(),
                s.everConnected.get(),
                generated,
                s.sent.sum(),
                acked,
                generated - acked,
                s.refused.sum(),
                s.dropped.sum(),
                s.reconnects.sum(),
                s.refused.sum() + s.failed.sum() + s.connectFailures.sum(),
                s.latency.percentileMillis(0.5),
                s.latency.percentileMillis(0.99),
                runner.connectSeconds(),
                runSeconds,
                ledgerFile,
                ledgerEntries,
                ledgerFailure,
                runner.failures().lines());
    }

    public double ackedPerSecond() {
        return runSeconds <= 0 ? 0 : acked / runSeconds;
    }

    public boolean fleetConnected() {
        return activeDevices > 0 && everConnected == activeDevices && activeDevices == devices;
    }

    public Map<String, Object> asMap() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("devices", devices);
        map.put("connectedDevices", everConnected);
        map.put("generated", generated);
        map.put("sent", sent);
        map.put("acked", acked);
        map.put("unacked", unacked);
        map.put("refused", refused);
        map.put("dropped", dropped);
        map.put("reconnects", reconnects);
        map.put("errors", errors);
        map.put("p50Ms", round(p50Ms));
        map.put("p99Ms", round(p99Ms));
        map.put("connectSeconds", round(connectSeconds));
        map.put("runSeconds", round(runSeconds));
        map.put("ackedPerSecond", round(ackedPerSecond()));
        map.put("ledger", ledger);
        map.put("ledgerEntries", ledgerEntries);
        if (ledgerFailure != null) {
            map.put("ledgerFailure", ledgerFailure);
        }
        map.put("problems", problems);
        return map;
    }

    private static double round(double v) {
        return Math.round(v * 100) / 100.0;
    }
}
