package org.hvkit.iommu.vtd.internal;

import java.util.function.LongSupplier;

/**
 * Xen's __printk_ratelimit (drivers/char/console.c): tokens accrue one per ms up to
 * {@code burst * ratelimitMs}; a message costs {@code ratelimitMs}. So a guest faulting its device
 * in a loop gets {@code burst} lines at once, then one per {@code ratelimitMs}, and cannot wash
 * the console ring's other lines out. Guarded by the caller (one fault handler at a time).
 */
final class RateLimit {
    private final long ratelimitMs, maxToks;
    private final LongSupplier nanos;
    private long toks, last, missed;

    RateLimit(long ratelimitMs, long burst, LongSupplier nanos) {
        this.ratelimitMs = ratelimitMs;
        this.maxToks = burst * ratelimitMs;
        this.nanos = nanos;
        this.toks = maxToks;
        this.last = nanos.getAsLong() / 1_000_000;
    }

    /** -1: suppress this message; else how many were suppressed before it (0 mostly). */
    synchronized int allow() {
        long now = nanos.getAsLong() / 1_000_000;
        toks = Math.min(maxToks, toks + (now - last));
        last = now;
        if (toks >= ratelimitMs) {
            toks -= ratelimitMs;
            int m = (int) Math.min(Integer.MAX_VALUE, missed);
            missed = 0;
            return m;
        }
        missed++;
        return -1;
    }
}
