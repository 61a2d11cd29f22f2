package org.hvkit.examples.sedf;

import java.util.List;
import org.hvkit.api.sched.SchedVcpu;

/** Per-vCPU state of sched_sedf.c's {@code struct sedf_vcpu_info}. */
final class SedfVcpu {
    static final int EXTRA_AWARE = 1, EXTRA_RUN_PEN = 2, EXTRA_RUN_UTIL = 4, EXTRA_WANT_PEN_Q = 8, SEDF_ASLEEP = 16;
    static final int PEN_Q = 0, UTIL_Q = 1;

    final SchedVcpu v;
    long period = SedfParams.WEIGHT_PERIOD, slice, periodOrig = SedfParams.WEIGHT_PERIOD, sliceOrig, latency;
    int status = EXTRA_AWARE | SEDF_ASLEEP;
    long weight, extraweight = 1;
    long deadlAbs, schedStartAbs, cputime, blockAbs;
    final long[] score = new long[2];
    long shortBlockLostTot, extraTimeTot;
    /** The runq or waitq it is on (Xen's list membership), or null. */
    List<SedfVcpu> queue;
    /** The extra queues it is on, by PEN_Q/UTIL_Q, or null. */
    final List<?>[] extraOn = new List<?>[2];

    SedfVcpu(SchedVcpu v) {
        this.v = v;
    }

    long periodBegin() {
        return deadlAbs - period;
    }

    boolean runnable() {
        return (status & SEDF_ASLEEP) == 0;
    }

    boolean extraRuns() {
        return (status & (EXTRA_RUN_PEN | EXTRA_RUN_UTIL)) != 0;
    }

    int extraCurQ() {
        return ((status & 6) >> 1) - 1;
    }

    SedfParams params() {
        return new SedfParams(period, slice, latency, status & EXTRA_AWARE, weight);
    }
}
