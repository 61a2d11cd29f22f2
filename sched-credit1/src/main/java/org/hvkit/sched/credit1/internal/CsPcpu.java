package org.hvkit.sched.credit1.internal;

import org.hvkit.api.sched.SchedTimer;

/** credit1's per-pCPU state (Xen's csched_pcpu). */
final class CsPcpu {
    final int cpu;
    final Runqueue rq;
    SchedTimer ticker;
    /** The accounting epoch this runqueue was last sorted for (Xen's runq_sort_last). */
    long sortedEpoch;
    /** Rotates pick_cpu's choice among equally idle candidates. */
    int idleBias;
    /** Rotates which idle pCPU a wake here tickles. */
    int lastTickle;

    CsPcpu(int cpu, Runqueue rq) {
        this.cpu = cpu;
        this.rq = rq;
        idleBias = cpu;
        lastTickle = cpu;
    }
}
