package org.hvkit.platform.sim.internal;

import org.hvkit.api.timer.HvTimer;
import org.hvkit.api.timer.VirtualTimers;

/** A simulated pCPU: what it runs since when, its slice-end timer and its schedule softirq. */
final class SimPcpu {
    final int id;
    SimVcpu running;
    long runStart;
    final HvTimer stop;
    final HvTimer softirq;

    SimPcpu(int id, SimPlatform platform, VirtualTimers timers) {
        this.id = id;
        this.stop = timers.createTimer(id, now -> platform.reschedule(this, now));
        this.softirq = timers.createTimer(id, now -> platform.reschedule(this, now));
    }
}
