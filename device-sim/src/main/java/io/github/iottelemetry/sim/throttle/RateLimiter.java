package io.github.iottelemetry.sim.throttle;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Spaces calls evenly at a rate (no bursts beyond one), for the AWS control plane's TPS limits and IoT
 * Core's connect rate. Thread-safe; {@link #acquire()} waits its turn.
 */
public final class RateLimiter {

    private final long intervalNanos;
    private long nextFreeNanos;

    public RateLimiter(double permitsPerSecond) {
        if (!(permitsPerSecond > 0)) {
            throw new IllegalArgumentException("rate must be positive, got " + permitsPerSecond);
        }
        this.intervalNanos = (long) (TimeUnit.SECONDS.toNanos(1) / permitsPerSecond);
        this.nextFreeNanos = System.nanoTime();
    }

    public void acquire() throws InterruptedException {
        long waitUntil;
        synchronized (this) {
            long now = System.nanoTime();
            waitUntil = Math.max(now, nextFreeNanos);
            nextFreeNanos = waitUntil + intervalNanos;
        }
        long remaining;
        while ((remaining = waitUntil - System.nanoTime()) > 0) {
            LockSupport.parkNanos(remaining);
            if (Thread.interrupted()) {
                throw new InterruptedException("interrupted while waiting for a rate-limited permit");
            }
        }
    }
}
