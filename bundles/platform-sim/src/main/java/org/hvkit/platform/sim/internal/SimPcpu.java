package org.hvkit.platform.sim.internal;

/** A simulated pCPU: what it runs since when, its slice-end event and its schedule softirq. */
final class SimPcpu {
    final int id;
    SimVcpu running;
    long runStart;
    final SimEvent stop;
    final SimEvent softirq;

    SimPcpu(int id, SimPlatform platform) {
        this.id = id;
        this.stop = new SimEvent() {
            @Override
            void fire(long now) {
                platform.reschedule(SimPcpu.this, now);
            }
        };
        this.softirq = new SimEvent() {
            @Override
            void fire(long now) {
                platform.reschedule(SimPcpu.this, now);
            }
        };
    }
}
