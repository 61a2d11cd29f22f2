package org.hvkit.scenario.internal;

import java.util.List;
import org.hvkit.api.platform.HostTopology;
import org.hvkit.api.sched.SchedulerProvider;
import org.hvkit.api.toolstack.Hypervisor;
import org.hvkit.core.internal.CoreConfig;
import org.hvkit.core.internal.HypervisorCore;
import org.hvkit.core.internal.TraceListener;
import org.hvkit.platform.sim.internal.SimConfig;
import org.hvkit.platform.sim.internal.SimPlatform;
import org.hvkit.timer.internal.TimerFactoryComponent;

/**
 * The real core on the simulated machine in manual mode, built as the test kit's {@code Simulation}
 * builds it (Domain-0 with one vCPU and 1 GiB), except that the trace goes straight to the core's
 * {@link TraceListener}: a run of tens of millions of events then creates no event object and
 * converts no kind per event.
 */
final class Rig implements AutoCloseable {
    private final SimPlatform platform;
    private final HypervisorCore core;

    /**
     * @param schedulers the providers to register; Pool-0 runs {@code defaultScheduler}
     */
    Rig(HostTopology topology, long seed, TraceListener trace, String defaultScheduler, List<SchedulerProvider> schedulers) {
        platform = new SimPlatform(new SimConfig(topology, seed, SimConfig.Mode.MANUAL, 1), new TimerFactoryComponent());
        core = new HypervisorCore(platform, new CoreConfig(defaultScheduler, 1, 1024, trace));
        for (SchedulerProvider p : schedulers) core.addScheduler(p);
        core.start();
    }

    Hypervisor hypervisor() {
        return core;
    }

    /** Advances virtual time to {@code timeNs}, firing every event on the way. */
    void runUntil(long timeNs) {
        platform.advance(timeNs);
    }

    @Override
    public void close() {
        core.stop();
    }
}
