package io.github.iottelemetry.sim.fleet;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/** Live counters of a run, shared by the devices, the status line and the final summary. */
public final class FleetStats {
    public final AtomicInteger connected = new AtomicInteger();
    public final AtomicInteger everConnected = new AtomicInteger();
    /** Devices whose first connect attempt has an outcome (success or failure). */
    public final AtomicInteger connectOutcomes = new AtomicInteger();

    public final LongAdder generated = new LongAdder();
    public final LongAdder sent = new LongAdder();
    public final LongAdder acked = new LongAdder();
    /** PUBACK with a failure reason code (0x80 and above), e.g. 0x87 Not authorized. */
    public final LongAdder refused = new LongAdder();
    /** Publishes that ended without any PUBACK (client stopped, failed operation). */
    public final LongAdder failed = new LongAdder();
    /** Messages dropped from a full offline buffer before they were ever sent (oldest first). */
    public final LongAdder dropped = new LongAdder();

    public final LongAdder reconnects = new LongAdder();
    public final LongAdder connectFailures = new LongAdder();
    public final AtomicInteger inFlight = new AtomicInteger();
    public final AtomicInteger buffered = new AtomicInteger();
    public final LatencyHistogram latency = new LatencyHistogram();
}
