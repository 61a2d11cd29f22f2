package org.hvkit.sched.credit1.internal;

import org.hvkit.api.sched.SchedTimer;

/** credit1's per-pCPU state: its runqueue (priority order, FIFO within a priority) and tick. */
final class CsPcpu {
    final int cpu;
    /** Sentinel of the circular runqueue list. */
    final CsVcpu head = new CsVcpu(null, null);
    int queued;
    SchedTimer ticker;
    /** The accounting epoch this runqueue was last sorted for. */
    long sortedEpoch;
    /** Rotates pick_cpu's choice among equally idle candidates. */
    int idleBias;
    /** Rotates which idle pCPU a wake tickles. */
    int lastTickle;
    /** What this instance chose to run here; null = idle. */
    CsVcpu current;

    CsPcpu(int cpu) {
        this.cpu = cpu;
        head.prev = head;
        head.next = head;
        idleBias = cpu;
        lastTickle = cpu;
    }
}
