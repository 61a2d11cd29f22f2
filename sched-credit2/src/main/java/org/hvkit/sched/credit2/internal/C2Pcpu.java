package org.hvkit.sched.credit2.internal;

import org.hvkit.api.sched.SchedTimer;

/** credit2's per-pCPU state: its runqueue and timer (what it runs is in the scheduler's {@code currentOf}). */
final class C2Pcpu {
    final int cpu;
    final C2Runq runq;
    SchedTimer timer;

    C2Pcpu(int cpu, C2Runq runq) {
        this.cpu = cpu;
        this.runq = runq;
    }
}
