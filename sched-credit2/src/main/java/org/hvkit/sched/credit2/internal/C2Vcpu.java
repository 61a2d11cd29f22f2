package org.hvkit.sched.credit2.internal;

import org.hvkit.api.sched.SchedVcpu;

/** credit2's private data for one vCPU (Xen's csched2_unit). */
final class C2Vcpu {
    final SchedVcpu vcpu;
    final C2Domain dom;
    /** Credit, ns of virtual time. */
    long credit;
    long lastBurn;
    long runStart;
    /** The runqueue whose books it is on (it may be queued there), or null. */
    C2Runq runq;
    boolean queued;
    boolean parked;
    boolean yielding;
    /** Cap quota taken from the domain, ns. */
    long budget;

    C2Vcpu(SchedVcpu vcpu, C2Domain dom) {
        this.vcpu = vcpu;
        this.dom = dom;
    }
}
