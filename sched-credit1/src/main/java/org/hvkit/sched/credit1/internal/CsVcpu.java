package org.hvkit.sched.credit1.internal;

import org.hvkit.api.domain.CpuMask;
import org.hvkit.api.sched.Decision;
import org.hvkit.api.sched.SchedVcpu;

/** credit1's private data for one vCPU (Xen's csched_vcpu). */
final class CsVcpu {
    /** Xen's priorities: higher runs first. */
    static final int PRI_BOOST = 0, PRI_UNDER = -1, PRI_OVER = -2, PRI_IDLE = -64;

    final SchedVcpu vcpu;
    final CsDomain dom;
    /** Credits, 10 per ms of run time. */
    int credit;
    /** Run time not yet charged because it is worth less than one credit (accurate accounting). */
    long residualNs;
    int pri = PRI_UNDER;
    /** Over its domain's cap: kept off every runqueue until accounting gives it credit again. */
    boolean parked;
    /** Yielded: goes behind one lower-priority vCPU at its next re-queue. */
    boolean yielding;

    /** On its domain's active list (earns credit at accounting). */
    boolean active;
    CsVcpu activePrev, activeNext;

    /** The runqueue holding it, or null. */
    Runqueue rq;
    CsVcpu prev, next;

    /** Chosen by do_schedule and not yet context-saved: its run time is still to be charged. */
    boolean onCpu;
    /** Charged up to this time. */
    long lastBurn;
    /** When its current stint on a pCPU began (for the ratelimit). */
    long runStart;

    /** Hard affinity as words, refreshed when the core hands out a new mask. */
    CpuMask hardSrc;
    long[] hardBits;

    CsVcpu(SchedVcpu vcpu, CsDomain dom) {
        this.vcpu = vcpu;
        this.dom = dom;
    }

    /**
     * A decision to run it for {@code sliceNs}. Always a new one: the core reads it at once, and a
     * fresh object is in cache where a kept one of each of thousands of vCPUs is not.
     */
    Decision decision(long sliceNs) {
        return Decision.run(vcpu, sliceNs);
    }

    /** The hard affinity as words of {@code words} longs. */
    long[] hard(int words) {
        CpuMask m = vcpu.hardAffinity();
        if (m != hardSrc || hardBits == null) {
            hardBits = CpuBits.of(m, words);
            hardSrc = m;
        }
        return hardBits;
    }

    String flags() {
        return (parked ? "P" : "") + (yielding ? "Y" : "");
    }

    @Override
    public String toString() {
        return "[" + vcpu.domain().id() + "." + vcpu.vcpuId() + "] pri=" + pri + " flags=" + flags() + " cpu=" + vcpu.processor()
                + " credit=" + credit + " [w=" + dom.weight + (dom.cap != 0 ? ",cap=" + dom.cap : "") + "]";
    }
}
