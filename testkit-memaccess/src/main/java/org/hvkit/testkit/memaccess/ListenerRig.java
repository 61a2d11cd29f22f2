package org.hvkit.testkit.memaccess;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.hvkit.api.domain.DomainConfig;
import org.hvkit.api.domain.DomainInfo;
import org.hvkit.api.memaccess.MemAccess;
import org.hvkit.api.toolstack.Hypervisor;
import org.hvkit.memaccess.internal.MemAccessService;
import org.hvkit.sched.credit1.internal.Credit1Provider;
import org.hvkit.testkit.Simulation;

/**
 * A memory-access listener's test bench: the real core on the simulated machine (credit1) and the
 * real mem-access bundle's {@link MemAccess} service on it, as a distribution wires them, without a
 * framework. Domains run workloads of {@code touch} phases ({@code run 1ms touch w 0x40000-0x40fff
 * every 10us}), so every event a listener sees comes from the real violation path.
 *
 * <p>Virtual time advances only in {@link #run}. Listeners answer on their sessions' own threads
 * in real time, so {@code run} gives them real time too: a vCPU paused for an answer waits in
 * virtual time as long as the listener takes, as in Xen.
 */
public final class ListenerRig implements AutoCloseable {
    /** How long a listener may take to answer before it is disconnected (the bundle's default, 1 s). */
    public static final long ANSWER_NS = 1_000_000_000L;

    private final Simulation sim;
    private final MemAccessService ma;

    private ListenerRig(Simulation sim) {
        this.sim = sim;
        this.ma = new MemAccessService(sim.platform(), ANSWER_NS);
    }

    /** A 4-pCPU simulated host with credit1, seed 1. */
    public static ListenerRig create() {
        return create(Simulation.builder().scheduler(new Credit1Provider()).seed(1));
    }

    /** A simulated host as {@code b} describes it (it needs a scheduler: add credit1's provider if unsure). */
    public static ListenerRig create(Simulation.Builder b) {
        return new ListenerRig(b.build());
    }

    /** The mem-access bundle's service, as a listener component gets it through {@code @Reference}. */
    public MemAccess memAccess() {
        return ma;
    }

    /** The toolstack API, as a component gets it through {@code @Reference}. */
    public Hypervisor hypervisor() {
        return sim.hypervisor();
    }

    public Simulation simulation() {
        return sim;
    }

    /** A one-vCPU, 32 MiB domain running {@code workload} (the simulated machine's workload language). */
    public DomainInfo domain(String name, String workload) {
        return sim.create(DomainConfig.builder(name).vcpus(1).memoryMb(32).platformOptions(Map.of("workload", workload)).build());
    }

    /**
     * Runs {@code virtual} of virtual time in 1 ms steps, with 1 ms of real time after each for the
     * listeners' threads to answer.
     */
    public void run(Duration virtual) {
        long ms = Math.max(1, virtual.toMillis());
        for (long i = 0; i < ms; i++) {
            sim.run(Duration.ofMillis(1));
            try {
                Thread.sleep(1);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("ListenerRig.run interrupted after " + i + " of " + ms + " ms", e);
            }
        }
    }

    /** Every line of {@code xl dmesg} so far. */
    public List<String> dmesg() {
        return sim.hypervisor().readConsole(false);
    }

    @Override
    public void close() {
        ma.close();
        sim.close();
    }
}
