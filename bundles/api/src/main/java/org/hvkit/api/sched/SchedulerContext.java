package org.hvkit.api.sched;

import java.util.function.LongConsumer;
import org.hvkit.api.platform.HostTopology;
import org.osgi.annotation.versioning.ProviderType;

/** What the core offers one scheduler instance. Implemented by the core. */
@ProviderType
public interface SchedulerContext {
    /** Current time, ns (virtual on the simulated machine, monotonic on KVM). */
    long now();

    int poolId();

    String poolName();

    /** The host's topology: sockets, cores, threads and NUMA nodes of every pCPU. */
    HostTopology topology();

    /** Asks pCPU {@code cpu} to run {@link Scheduler#doSchedule} soon (Xen's schedule softirq). */
    void tickle(int cpu);

    /** The vCPU running on {@code cpu} now, or null when it is idle. */
    SchedVcpu current(int cpu);

    /**
     * Creates a timer on pCPU {@code cpu}; {@code callback} receives the time it fired. Timers die
     * with the instance.
     */
    SchedTimer createTimer(int cpu, LongConsumer callback);

    /** Writes one line to the hypervisor console ring ({@code xl dmesg}) and the log. */
    void printk(String line);
}
