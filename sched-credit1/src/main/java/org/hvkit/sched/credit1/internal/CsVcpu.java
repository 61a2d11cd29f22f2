package org.hvkit.sched.credit1.internal;

import org.hvkit.api.sched.SchedVcpu;

/** credit1's private data for one vCPU (Xen's csched_unit). */
final class CsVcpu {
    static final int PRI_BOOST = 0, PRI_UNDER = -1, PRI_OVER = -2, PRI_IDLE = -64;

    final SchedVcpu vcpu;
    final CsDomain dom;
    /** Credits, 10 per ms; a sub-credit residual in ns is carried so no run time is lost. */
    int credit;
    long residualNs;
    int pri = PRI_UNDER;
    boolean parked;
    boolean yielding;
    boolean active;
    /** On a runqueue: the pCPU whose queue holds it, else -1. */
    int queuedOn = -1;
    /** Linked runqueue. */
    CsVcpu prev, next;
    /** When it was last charged (start of its current stint or last burn). */
    long lastBurn;
    /** When its current stint on a pCPU began (for the ratelimit). */
    long runStart;

    CsVcpu(SchedVcpu vcpu, CsDomain dom) {
        this.vcpu = vcpu;
        this.dom = dom;
    }

    String flags() {
        return (parked ? "P" : "") + (yielding ? "Y" : "") + (active ? "A" : "");
    }
}
