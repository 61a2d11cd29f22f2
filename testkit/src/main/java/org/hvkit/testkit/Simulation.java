package org.hvkit.testkit;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.Consumer;
import org.hvkit.api.domain.DomainConfig;
import org.hvkit.api.domain.DomainInfo;
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
 * The real hypervisor core on the real simulated machine, without a framework, stepped by the
 * caller: virtual time advances only in {@link #run}. Same seed and same calls give the identical
 * trace. See {@code docs/testkit-contract.md}.
 */
public final class Simulation implements AutoCloseable {
    private final SimPlatform platform;
    private final HypervisorCore core;
    private final List<TraceEvent> trace;

    private Simulation(Builder b) {
        platform = new SimPlatform(new SimConfig(b.topology, b.seed, SimConfig.Mode.MANUAL, 1), new TimerFactoryComponent());
        trace = b.trace || b.listener != null ? new ArrayList<>() : null;
        TraceListener listener = null;
        if (trace != null) {
            boolean keep = b.trace;
            Consumer<TraceEvent> extra = b.listener;
            listener = (t, kind, cpu, domid, vcpu) -> {
                TraceEvent e = new TraceEvent(t, TraceEvent.Kind.valueOf(kind.name()), cpu, domid, vcpu);
                if (keep) trace.add(e);
                if (extra != null) extra.accept(e);
            };
        }
        String def = b.defaultScheduler != null ? b.defaultScheduler : b.schedulers.isEmpty() ? "credit" : b.schedulers.get(0).optName();
        core = new HypervisorCore(platform, new CoreConfig(def, b.dom0Vcpus, b.dom0MemoryMb, listener));
        for (SchedulerProvider p : b.schedulers) core.addScheduler(p);
        core.start();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The real core's control API. */
    public Hypervisor hypervisor() {
        return core;
    }

    /** The core itself (for adding or removing scheduler providers while it runs). */
    public HypervisorCore core() {
        return core;
    }

    public SimPlatform platform() {
        return platform;
    }

    /** Virtual time now, ns. */
    public long now() {
        return platform.timers().now();
    }

    /** Advances virtual time by {@code d}, firing every event on the way. */
    public void run(Duration d) {
        runFor(d.toNanos());
    }

    public void runFor(long ns) {
        platform.advance(platform.timers().now() + ns);
    }

    public void runUntil(long timeNs) {
        platform.advance(timeNs);
    }

    /** Shortcut for {@code hypervisor().createDomain(cfg)}. */
    public DomainInfo create(DomainConfig cfg) {
        return core.createDomain(cfg);
    }

    /** CPU time of a domain so far, ns. */
    public long cpuTimeNs(int domid) {
        return core.domain(domid).orElseThrow().cpuTimeNs();
    }

    /** The recorded trace (empty unless built with {@code trace(true)}). */
    public List<TraceEvent> trace() {
        return trace == null ? List.of() : Collections.unmodifiableList(trace);
    }

    @Override
    public void close() {
        core.stop();
    }

    public static final class Builder {
        private HostTopology topology = HostTopology.of(1, 4, 1, 1, 16L << 30);
        private long seed = 1;
        private final List<SchedulerProvider> schedulers = new ArrayList<>();
        private String defaultScheduler;
        private boolean trace;
        private Consumer<TraceEvent> listener;
        private int dom0Vcpus = 1;
        private long dom0MemoryMb = 1024;

        public Builder topology(HostTopology t) { topology = t; return this; }
        public Builder seed(long s) { seed = s; return this; }
        /** Adds a scheduler provider; the first one added is Pool-0's unless {@link #defaultScheduler} says otherwise. */
        public Builder scheduler(SchedulerProvider p) { schedulers.add(p); return this; }
        public Builder defaultScheduler(String optName) { defaultScheduler = optName; return this; }
        public Builder trace(boolean on) { trace = on; return this; }
        /** Streams every trace event to {@code l} (without keeping them, unless {@code trace(true)}). */
        public Builder traceListener(Consumer<TraceEvent> l) { listener = l; return this; }
        public Builder dom0Vcpus(int n) { dom0Vcpus = n; return this; }
        public Builder dom0MemoryMb(long mb) { dom0MemoryMb = mb; return this; }

        public Simulation build() {
            return new Simulation(this);
        }
    }
}
