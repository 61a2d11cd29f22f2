package org.hvkit.api.sched;

import java.util.Map;

/**
 * The {@code weight} and {@code cap} domain parameters as Xen's credit schedulers define them, with
 * the messages xl prints, for any scheduler that takes them ({@link Scheduler#setDomainParams}).
 */
public final class WeightAndCap {
    public static final int WEIGHT_MIN = 1, WEIGHT_MAX = 65535;

    private WeightAndCap() {
    }

    /**
     * Checks every key present before anything changes: weight within 1..65535, cap (in % of one
     * pCPU) within 0..100 per vCPU of the domain.
     *
     * @throws IllegalArgumentException naming the parameter and its valid range
     */
    public static void validate(Map<String, Long> params, int nrVcpus) {
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
