package org.hvkit.sched.credit1.internal;

import java.util.Map;

/** Validation of the per-domain parameters with Xen's (xl's) messages. */
final class DomainSettings {
    static final int WEIGHT_MIN = 1, WEIGHT_MAX = 65535;

    private DomainSettings() {
    }

    /** Checks every key present before anything changes. */
    static void validate(Map<String, Long> params, int nrVcpus) {
        Long w = params.get("weight"), c = params.get("cap");
        if (w != null && (w < WEIGHT_MIN || w > WEIGHT_MAX)) {
            throw new IllegalArgumentException("Cpu weight out of range, valid values are within range from 1 to 65535");
        }
        int maxCap = nrVcpus * 100;
        if (c != null && (c < 0 || c > maxCap)) {
            throw new IllegalArgumentException("Cpu cap out of range, valid range is from 0 to " + maxCap + " for specified number of vcpus");
        }
    }
}
