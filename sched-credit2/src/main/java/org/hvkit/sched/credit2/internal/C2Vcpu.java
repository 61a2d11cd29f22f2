package org.hvkit.sched.credit2.internal;

import org.hvkit.api.sched.SchedVcpu;

/** credit2's private data for one vCPU (Xen's csched2_unit). */
final class C2Vcpu {
    final SchedVcpu vcpu;
    final C2Domain dom;
    /** Its domain's weight and cap, copied here (and kept equal by setDomainParams) so that burning credit does not visit the domain. */
    int weight, cap;
    /** Credit, ns of virtual time. */
    long credit;
    long lastBurn;
    long runStart;
    /** The runqueue whose books it is on (it may be queued there), or null. */
    C2Runq runq;
    boolean queued;
    /** Between wake and sleep: counted in its runqueue's instantaneous load. */
    boolean awake;
    boolean parked;
    boolean yielding;
    /** The pCPU tickled to pick it up, which the others leave it to until it schedules (Xen's tickled_cpu); -1 if none. */
    int tickledCpu = -1;
    /** Cap quota taken from the domain, ns. */
    long budget;
    /** Its own load average (1 while runnable), fixed point as the runqueue's, for balancing. */
    long avgLoad = 1L << C2Runq.PRECISION_SHIFT; // a new vCPU counts as fully loaded until it shows otherwise
    long loadUpdated;

    /** Brings its load average to {@code now}; {@code wasRunnable} says what it was since the last update. */
    void updateLoad(long now, boolean wasRunnable) {
        avgLoad = C2Runq.ewma(avgLoad, wasRunnable ? 1 : 0, now - loadUpdated);
        if (now > loadUpdated) loadUpdated = now;
    }

    C2Vcpu(SchedVcpu vcpu, C2Domain dom) {
        this.vcpu = vcpu;
        this.dom = dom;
        this.weight = dom.weight;
        this.cap = dom.cap;
    }
}
