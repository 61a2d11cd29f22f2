package org.hvkit.examples.sedf;

import java.util.Map;
import java.util.TreeMap;

/**
 * One domain's parameters as sedf_adjust takes them (XEN_DOMCTL_SCHEDOP_putinfo), with its checks.
 * Times in ns.
 */
record SedfParams(long period, long slice, long latency, long extratime, long weight) {
    static final long US = 1_000L, MS = 1_000_000L;
    static final long PERIOD_MAX = 10_000 * MS, PERIOD_MIN = 10 * US, SLICE_MIN = 5 * US;
    static final long WEIGHT_PERIOD = 100 * MS, WEIGHT_SAFETY = 5 * MS;

    /** What a vCPU starts with (sedf_alloc_vdata) and what getinfo then reports. */
    static final SedfParams BEST_EFFORT = new SedfParams(WEIGHT_PERIOD, 0, 0, 1, 0);

    static SedfParams of(Map<String, Long> m, SedfParams base) {
        return new SedfParams(m.getOrDefault("period", base.period), m.getOrDefault("slice", base.slice),
                m.getOrDefault("latency", base.latency), m.getOrDefault("extratime", base.extratime), m.getOrDefault("weight", base.weight));
    }

    Map<String, Long> asMap() {
        Map<String, Long> m = new TreeMap<>();
        m.put("period", period);
        m.put("slice", slice);
        m.put("latency", latency);
        m.put("extratime", extratime);
        m.put("weight", weight);
        return m;
    }

    boolean extraAware() {
        return (extratime & 1) != 0;
    }

    /** Xen answers -EINVAL for these; the message says which rule, for the API's callers and the log. */
    void validate() {
        if (weight < 0 || weight > 65535) fail("weight " + weight + " is not a 16-bit value");
        if (period == 0 && weight == 0) fail("neither a period nor a weight");
        if (weight != 0) return;
        if (period > PERIOD_MAX || period < PERIOD_MIN) fail("period " + period + " ns outside " + PERIOD_MIN + ".." + PERIOD_MAX + " ns");
        if (slice > period) fail("slice " + slice + " ns longer than the period " + period + " ns");
        if (slice < SLICE_MIN) fail("slice " + slice + " ns shorter than " + SLICE_MIN + " ns");
    }

    private static void fail(String why) {
        throw new IllegalArgumentException("sedf: " + why + ": Invalid argument");
    }
}
