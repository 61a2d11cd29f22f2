package org.hvkit.sched.credit2.internal;

import org.hvkit.api.sched.SchedTimer;

/** credit2's per-pCPU state: its runqueue and what it runs. */
final class C2Pcpu {
    final int cpu;
    final C2Runq runq;
    C2Vcpu current;
    SchedTimer timer;

    C2Pcpu(int cpu, C2Runq runq) {
        this.cpu = cpu;
        this.runq = runq;
    }
}
