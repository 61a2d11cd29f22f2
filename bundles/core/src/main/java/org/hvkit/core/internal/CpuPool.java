package org.hvkit.core.internal;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.hvkit.api.domain.CpuMask;
import org.hvkit.api.sched.Scheduler;
import org.hvkit.api.sched.SchedulerProvider;
import org.hvkit.api.timer.HvTimer;

/** A CPU pool: pCPUs, the domains in it and its one scheduler instance. Machine context only. */
final class CpuPool {
    final int id;
    String name;
    CpuMask cpus = CpuMask.EMPTY;
    /** opt_name of the scheduler this pool is meant to run (it may be waiting for its bundle). */
    String schedulerName;
    SchedulerProvider provider;
    Scheduler scheduler;
    PoolContext ctx;
    /** Pool parameters the toolstack set, kept across scheduler changes. */
    final Map<String, Long> params = new TreeMap<>();
    /** Its domains; change it only through {@link #addDomain} and {@link #removeDomain}, which keep {@link #vcpusOn}. */
    final Set<Domain> domains = new LinkedHashSet<>();
    /** Per pCPU: how many vCPUs of this pool's domains have it as their processor (Xen's default_vcpu0_location counts these). */
    private int[] vcpusOn = new int[0];
    /** Watchdog bound, ns of hypervisor time; 0 = off. */
    long watchdogNs = DEFAULT_WATCHDOG_NS;
    HvTimer watchdog;
    /** Wall-clock bound of one hook call, ns; 0 = off. Read by the hook watchdog thread. */
    volatile long hookBoundNs = DEFAULT_HOOK_BOUND_NS;
    /** What one hook call may allocate, bytes; 0 = off. Read by the hook watchdog thread. */
    volatile long allocBoundBytes = DEFAULT_ALLOC_BOUND_BYTES;
    /** Decisions plus tickles the scheduler may cause per pCPU per ms of hypervisor time; 0 = off. */
    int rateBound = DEFAULT_RATE_BOUND;
    /** The rate window: its start, what was counted in it, what it may hold. */
    long rateWindowStart, rateCount, rateLimit;
    /** Consecutive decisions with a slice under {@link Machine#MIN_SLICE_NS}. */
    int shortSlices;
    /** A bound crossed inside a hook (a tickle storm), evicted as soon as the hook has returned. */
    String pendingEviction;
    /** The provider being attached, while its create and add hooks run (the eviction record names it). */
    SchedulerProvider attaching;

    /** 250 ms: hooks take microseconds; a quarter second is a stuck plugin, not a slow one. */
    static final long DEFAULT_HOOK_BOUND_NS = 250_000_000L;
    /** 256 MiB in one hook call. */
    static final long DEFAULT_ALLOC_BOUND_BYTES = 256L << 20;
    /** 100 per pCPU per ms: a reschedule every 10 us on every pCPU, far above credit1's and credit2's. */
    static final int DEFAULT_RATE_BOUND = 100;
    /** The rate is measured over windows of 10 ms of hypervisor time. */
    static final long RATE_WINDOW_NS = 10_000_000L;

    /** 5 s: far above any wait a fair scheduler causes (100 hogs on one pCPU wait 3 s under credit1). */
    static final long DEFAULT_WATCHDOG_NS = 5_000_000_000L;
    private static final int RING = 8;
    private final long[] decTime = new long[RING];
    private final int[] decCpu = new int[RING];
    private final Vcpu[] decVcpu = new Vcpu[RING];
    private final long[] decSlice = new long[RING];
    private int decNext;

    CpuPool(int id, String name, String schedulerName) {
        this.id = id;
        this.name = name;
        this.schedulerName = schedulerName;
    }

    void addDomain(Domain d) {
        if (!domains.add(d)) return;
        d.countedIn = this;
        for (Vcpu v : d.vcpus) count(v.processor, 1);
    }

    void removeDomain(Domain d) {
        if (!domains.remove(d)) return;
        d.countedIn = null;
        for (Vcpu v : d.vcpus) count(v.processor, -1);
    }

    /** Adds {@code delta} to the count of {@code cpu}. */
    void count(int cpu, int delta) {
        if (cpu < 0) return;
        if (cpu >= vcpusOn.length) vcpusOn = Arrays.copyOf(vcpusOn, Math.max(cpu + 1, 2 * vcpusOn.length));
        vcpusOn[cpu] += delta;
    }

    /** How many vCPUs of this pool's domains have {@code cpu} as their processor. */
    int vcpusOn(int cpu) {
        return cpu >= 0 && cpu < vcpusOn.length ? vcpusOn[cpu] : 0;
    }

    /** Remembers one decision for the eviction record (a ring of the last few). */
    void recordDecision(long now, int cpu, Vcpu v, long slice) {
        int i = decNext++ & (RING - 1);
        decTime[i] = now;
        decCpu[i] = cpu;
        decVcpu[i] = v;
        decSlice[i] = slice;
    }

    /** The last decisions, oldest first, one line each. */
    List<String> lastDecisions(long now) {
        List<String> out = new ArrayList<>();
        for (int k = Math.max(0, decNext - RING); k < decNext; k++) {
            int i = k & (RING - 1);
            out.add(String.format(Locale.ROOT, "decision at %.6fs: cpu%d -> %s, slice %s", decTime[i] / 1e9, decCpu[i],
                    decVcpu[i] == null ? "idle" : decVcpu[i].label(), decSlice[i] < 0 ? "none" : decSlice[i] / 1000 + "us"));
        }
        return out;
    }

    @Override
    public String toString() {
        return name;
    }
}
