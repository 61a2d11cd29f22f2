package org.hvkit.api.toolstack;

/**
 * The bounds a pool's scheduler must keep, or be evicted (the pool then runs the fallback with
 * nothing lost). Each is off when 0.
 *
 * @param stallNs       a runnable vCPU of an uncapped domain waits longer than this, ns of hypervisor time
 * @param hookNs        one hook call runs longer than this, ns of wall-clock time (the thread is abandoned)
 * @param allocBytes    one hook call allocates more than this many bytes (sampled with the wall-clock bound)
 * @param ratePerCpuMs  decisions plus tickles per pCPU per ms of hypervisor time, over 10 ms windows
 * @since 1.2
 */
public record PoolBounds(long stallNs, long hookNs, long allocBytes, int ratePerCpuMs) {
    public PoolBounds {
        if (stallNs < 0 || hookNs < 0 || allocBytes < 0 || ratePerCpuMs < 0) {
            throw new IllegalArgumentException("bounds must be >= 0 (0 = off): stall " + stallNs + " ns, hook " + hookNs + " ns, alloc "
                    + allocBytes + " bytes, rate " + ratePerCpuMs);
        }
    }
}
