package org.hvkit.xsm.flask.internal;

import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import org.hvkit.api.cpu.CpuModel;
import org.hvkit.api.memory.HostMemory;
import org.hvkit.api.platform.Guest;
import org.hvkit.api.platform.GuestEvents;
import org.hvkit.api.platform.GuestSpec;
import org.hvkit.api.platform.HostTopology;
import org.hvkit.api.platform.MachineHost;
import org.hvkit.api.platform.MachineLock;
import org.hvkit.api.platform.Platform;
import org.hvkit.api.timer.TimerService;
import org.hvkit.platform.sim.internal.SimPlatform;

/** The real simulated machine, keeping each guest's event port so a test can make hypercalls as the guest. */
final class RecordingPlatform implements Platform {
    final SimPlatform sim;
    final Map<Integer, GuestEvents> events = new ConcurrentHashMap<>();

    RecordingPlatform(SimPlatform sim) {
        this.sim = sim;
    }

    @Override public String name() { return sim.name(); }
    @Override public String describe() { return sim.describe(); }
    @Override public HostTopology topology() { return sim.topology(); }
    @Override public TimerService timers() { return sim.timers(); }
    @Override public HostMemory memory() { return sim.memory(); }
    @Override public CpuModel cpuModel() { return sim.cpuModel(); }
    @Override public void start(MachineHost host) { sim.start(host); }
    @Override public void stop() { sim.stop(); }
    @Override public <T> T call(Callable<T> task) throws Exception { return sim.call(task); }
    @Override public MachineLock machineLock() { return sim.machineLock(); }
    @Override public void abandoned(Thread t) { sim.abandoned(t); }
    @Override public void tickle(int cpu) { sim.tickle(cpu); }

    @Override
    public Guest createGuest(GuestSpec spec) {
        events.put(spec.domainId(), spec.events());
        return sim.createGuest(spec);
    }
}
