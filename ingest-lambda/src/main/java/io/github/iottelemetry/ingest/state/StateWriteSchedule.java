package io.github.iottelemetry.ingest.state;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Which device-state writes are due: at most one per device per interval of the device's own reading time, kept per
 * execution environment.
 *
 * <p>Contract: a device's newest message of a batch is written when this environment has not written the device's
 * state yet, when its newest reading is at least the interval after the newest reading last written for the device,
 * or when it is older than that one (the device's clock went back). Otherwise it is skipped. So the stored state's
 * newest reading is always less than one interval behind the newest reading of the newest message the function has
 * taken from the device (the table only ever moves to newer seqs), also when the device then goes silent.
 * Forgetting a device (a new environment, a full schedule) only makes its next message due, never skips one.
 */
public final class StateWriteSchedule {
    /** Devices remembered per environment; beyond it the least recently seen are forgotten (their next message is due). */
    static final int DEFAULT_MAX_DEVICES = 200_000;

    private final long intervalMillis;
    private final Map<String, Long> writtenTs;

    /** {@code intervalSeconds} 0 writes every message's state. */
    public StateWriteSchedule(long intervalSeconds) {
        this(intervalSeconds, DEFAULT_MAX_DEVICES);
    }

    StateWriteSchedule(long intervalSeconds, int maxDevices) {
        if (intervalSeconds < 0) {
            throw new IllegalArgumentException("device-state interval " + intervalSeconds + " s: must be 0 or more");
        }
        this.intervalMillis = intervalSeconds * 1000;
        this.writtenTs = new LinkedHashMap<>(1024, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Long> eldest) {
                return size() > maxDevices;
            }
        };
    }

    /** Every message's state is written (no interval). */
    public static StateWriteSchedule everyMessage() {
        return new StateWriteSchedule(0);
    }

    /** True when a message whose newest reading is at {@code newestTs} should write the device's state. */
    public synchronized boolean isDue(String deviceId, long newestTs) {
        if (intervalMillis == 0) {
            return true;
        }
        Long written = writtenTs.get(deviceId);
        return written == null || newestTs < written || newestTs - written >= intervalMillis;
    }

    /**
     * This environment wrote the device's state with its newest reading at {@code newestTs}. (A write the table refused
     * because it holds a newer seq changes nothing here: the next message is due again.)
     */
    public synchronized void written(String deviceId, long newestTs) {
        if (intervalMillis > 0) {
            writtenTs.put(deviceId, newestTs);
        }
    }

    public long intervalSeconds() {
        return intervalMillis / 1000;
    }

    synchronized int devicesRemembered() {
        return writtenTs.size();
    }
}
