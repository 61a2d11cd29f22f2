package org.hvkit.api.sched;

import org.hvkit.api.domain.CpuMask;
import org.osgi.annotation.versioning.ProviderType;

/**
 * The core's handle for one vCPU as a scheduler sees it. Implemented by the core; valid from
 * {@link Scheduler#insertVcpu} to {@link Scheduler#removeVcpu}.
 */
@ProviderType
public interface SchedVcpu {
    SchedDomain domain();

    /** The vCPU's number within its domain. */
    int vcpuId();

    /** A number unique among all vCPUs of the host, stable for the vCPU's life; use it for ordering. */
    int uid();

    /** The pCPU the vCPU is assigned to: where it runs, or whose runqueue it belongs to. */
    int processor();

    /**
     * Moves the vCPU to another pCPU of the pool while it is not running (a steal or a migration
     * decided by the scheduler). The core checks the pCPU against the pool and the hard affinity.
     */
    void setProcessor(int cpu);

    /** Whether the vCPU is on a pCPU now. */
    boolean isRunning();

    /** Whether the vCPU wants a pCPU: online, not blocked, its domain not paused. */
    boolean isRunnable();

    CpuMask hardAffinity();

    CpuMask softAffinity();

    /** The scheduler's private data for this vCPU (Xen's sched_priv); null until set. */
    Object schedData();

    void setSchedData(Object data);

    /** Xen's name for it, {@code d<domid>v<vcpu>}. */
    default String label() {
        return "d" + domain().id() + "v" + vcpuId();
    }
}
