package org.hvkit.sched.credit1.internal;

import java.util.Map;

/**
 * The per-pool parameters (Xen's tslice and ratelimit) with the values derived from them.
 * Immutable, so that a rejected change cannot leave half of it applied.
 */
record PoolSettings(int tsliceMs, int ratelimitUs) {
    static final int CREDITS_PER_MSEC = 10;
    static final int TSLICE_MIN = 1, TSLICE_MAX = 1000;
    static final int RATELIMIT_MIN = 100, RATELIMIT_MAX = 500_000;

    static final PoolSettings DEFAULTS = new PoolSettings(30, 1000);

    /** Validates {@code params} over {@code base}: only the keys present change. */
    static PoolSettings of(PoolSettings base, Map<String, Long> params) {
        Long t = params.get("tslice_ms"), r = params.get("ratelimit_us");
        long tslice = t != null ? t : base.tsliceMs, ratelimit = r != null ? r : base.ratelimitUs;
        if (tslice < TSLICE_MIN || tslice > TSLICE_MAX) {
            throw new IllegalArgumentException("tslice_ms " + tslice + " out of range, valid values are within range from "
                    + TSLICE_MIN + " to " + TSLICE_MAX + " ms");
        }
        if (ratelimit < RATELIMIT_MIN || ratelimit > RATELIMIT_MAX) {
            throw new IllegalArgumentException("ratelimit_us " + ratelimit + " out of range, valid values are within range from "
                    + RATELIMIT_MIN + " to " + RATELIMIT_MAX + " us");
        }
        if (ratelimit > tslice * 1000) {
            throw new IllegalArgumentException("ratelimit_us (" + ratelimit + ") must not exceed tslice_ms (" + tslice + " ms)");
        }
        return new PoolSettings((int) tslice, (int) ratelimit);
    }

    /** 3 ticks per time slice; 1 when the slice is shorter than 3 ms. */
    int ticksPerTslice() {
        return tsliceMs < 3 ? 1 : 3;
    }

    long tickPeriodNs() {
        return tsliceMs * 1_000_000L / ticksPerTslice();
    }

    long tsliceNs() {
        return tsliceMs * 1_000_000L;
    }

    long ratelimitNs() {
        return ratelimitUs * 1_000L;
    }

    /** Credits one pCPU hands out per accounting period. */
    int creditsPerTslice() {
        return CREDITS_PER_MSEC * tsliceMs;
    }

    Map<String, Long> toMap() {
        return Map.of("tslice_ms", (long) tsliceMs, "ratelimit_us", (long) ratelimitUs);
    }
}
