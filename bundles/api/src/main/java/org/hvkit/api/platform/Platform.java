package org.hvkit.api.platform;

import java.util.concurrent.Callable;
import org.hvkit.api.cpu.CpuModel;
import org.hvkit.api.memory.HostMemory;
import org.hvkit.api.timer.TimerService;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * A machine that runs guests: the simulated machine or KVM. Registered as a service by a
 * platform bundle; the core binds exactly one.
 *
 * <p><b>Machine context.</b> The platform serialises the schedule path: {@link MachineHost}
 * calls, timer callbacks and tasks given to {@link #call} never run concurrently. The core does all
 * of its work in machine context, so it needs no other lock around scheduler instances.
 *
 * <p><b>Driving the schedule path.</b> After {@link #start} the platform asks
 * {@link MachineHost#schedule} on a pCPU whenever the pCPU's slice ends, it was
 * {@link #tickle tickled}, or its vCPU blocked or yielded; it runs the returned vCPU until the
 * next of those, reports blocks and wake-ups of guest vCPUs through their {@link VcpuPort}, and
 * charges nothing itself: the core accounts time from the decisions.
 */
@ConsumerType
public interface Platform {
    /** Service property naming the platform: {@code sim} or {@code kvm}. */
    String NAME_PROPERTY = "hvkit.platform";

    /** {@code sim} or {@code kvm}. */
    String name();

    /** One line for {@code xl info} and the log, e.g. the topology and the mode. */
    String describe();

    HostTopology topology();

    TimerService timers();

    HostMemory memory();

    /** The host's CPU model, for {@code xl info}'s {@code hw_caps} and {@code cpu_mhz}. */
    CpuModel cpuModel();

    /** Starts driving the pCPUs; called once by the core, which keeps using the platform until {@link #stop}. */
    void start(MachineHost host);

    /** Stops every pCPU; no {@link MachineHost} call follows. */
    void stop();

    /**
     * Runs {@code task} in machine context and returns its result, waiting for it. Called from a
     * thread that is already in machine context, it runs the task at once.
     *
     * @throws Exception whatever the task throws
     */
    <T> T call(Callable<T> task) throws Exception;

    /**
     * The lock that is machine context, when the platform's is a {@link MachineLock}: the core then
     * bounds every scheduler hook call by wall-clock time and, when one overruns, seizes the lock
     * from the stuck thread and calls {@link #abandoned}. Null (the default) leaves hooks unbounded.
     *
     * @since 1.1
     */
    default MachineLock machineLock() {
        return null;
    }

    /**
     * Thread {@code t} was abandoned inside a plugin while in machine context; the caller is in
     * machine context now. If {@code t} was one of the platform's own threads (a pCPU, the event
     * loop), the platform starts another to take its place, so the machine goes on running.
     *
     * @since 1.1
     */
    default void abandoned(Thread t) {
    }

    /** Asks pCPU {@code cpu} to call {@link MachineHost#schedule} soon. Machine context only. */
    void tickle(int cpu);

    /**
     * Builds the guest side of a new domain: its vCPUs' execution (a workload model, or KVM vCPUs
     * and guest code). Machine context. Nothing runs until the core schedules a vCPU.
     *
     * @throws IllegalArgumentException naming the option when the spec cannot be honoured
     */
    Guest createGuest(GuestSpec spec);
}
