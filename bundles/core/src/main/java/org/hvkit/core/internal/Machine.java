package org.hvkit.core.internal;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.LongConsumer;
import org.hvkit.api.domain.CpuMask;
import org.hvkit.api.platform.Dispatch;
import org.hvkit.api.platform.GuestVcpu;
import org.hvkit.api.platform.HostTopology;
import org.hvkit.api.platform.MachineHost;
import org.hvkit.api.platform.Platform;
import org.hvkit.api.sched.Decision;
import org.hvkit.api.sched.SchedVcpu;
import org.hvkit.api.sched.Scheduler;
import org.hvkit.api.sched.SchedulerProvider;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The state of the hypervisor and the schedule path. Everything here runs in machine context
 * (the platform serialises it), so nothing here locks.
 *
 * <p>Every call into a scheduler instance goes through this class, and a scheduler that throws or
 * answers nonsense is evicted: its pool falls back to the default scheduler with nothing lost.
 */
final class Machine implements MachineHost {
    private static final Logger LOG = LoggerFactory.getLogger(Machine.class);

    private final Platform platform;
    private final HostTopology topology;
    final CoreConfig config;
    private final TraceListener trace;
    final ConsoleRing console = new ConsoleRing(64 * 1024);
    private final Pcpu[] pcpus;
    /** Every domain by id; change it only through {@link #putDomain} and {@link #removeDomain}, which keep the name index. */
    final TreeMap<Integer, Domain> domains = new TreeMap<>();
    /** How many domains of {@link #domains} carry each name (a name is normally unique; a renamed domain keeps its id). */
    private final Map<String, Integer> names = new HashMap<>();
    final TreeMap<Integer, CpuPool> pools = new TreeMap<>();
    /** Available scheduler providers by opt_name; the newest registration of a name wins. */
    final Map<String, SchedulerProvider> providers = new HashMap<>();
    private int nextVcpuUid;
    /** Bounds every hook call; evicts and abandons on overrun ({@link #overrun}). */
    final HookGuard guard;
    /** The XSM hooks (the core's, surviving a restart of the machine). */
    XsmHooks xsm = new XsmHooks(() -> this);
    /** xl vcpu-set: a vCPU is in its scheduler exactly while online. */
    final VcpuHotplug hotplug = new VcpuHotplug(this);
    /** Hypervisor time of the last overrun: waits before it are not charged to any pool's scheduler. */
    long lastOverrunAt = Long.MIN_VALUE;
    /** Told of every thread abandoned inside a hook (the toolstack's calls fail at once). */
    java.util.function.Consumer<Thread> abandonListener = t -> { };

    /**
     * System property {@code hvkit.core.unguarded=true}: hooks are called without the hook guard, so
     * no bound but the stall and rate bounds holds. Only for benchmarks that measure what the guard costs.
     */
    static final boolean UNGUARDED = Boolean.getBoolean("hvkit.core.unguarded");

    /** A slice under 1 us ... */
    static final long MIN_SLICE_NS = 1_000;
    /** ... given this many times in a row by one pool is a scheduler that reschedules for ever, not a policy. */
    static final int SHORT_SLICE_STREAK = 1000;

    Machine(Platform platform, CoreConfig config) {
        this.platform = platform;
        this.guard = new HookGuard(platform.machineLock(), this::overrun);
        this.topology = platform.topology();
        this.config = config;
        this.trace = config.trace();
        this.pcpus = new Pcpu[topology.nrCpus()];
        for (int i = 0; i < pcpus.length; i++) pcpus[i] = new Pcpu(i);
    }

    void putDomain(Domain d) {
        Domain old = domains.put(d.id, d);
        if (old != null) names.computeIfPresent(old.name, (k, n) -> n == 1 ? null : n - 1);
        names.merge(d.name, 1, Integer::sum);
    }

    /** Removes {@code d} if it is the domain of its id. */
    void removeDomain(Domain d) {
        if (domains.remove(d.id, d)) names.computeIfPresent(d.name, (k, n) -> n == 1 ? null : n - 1);
    }

    void renameDomain(Domain d, String name) {
        if (domains.get(d.id) == d) {
            names.computeIfPresent(d.name, (k, n) -> n == 1 ? null : n - 1);
            names.merge(name, 1, Integer::sum);
        }
        d.name = name;
    }

    boolean hasDomainNamed(String name) {
        return names.containsKey(name);
    }

    Platform platform() {
        return platform;
    }

    HostTopology topology() {
        return topology;
    }

    long now() {
        return platform.timers().now();
    }

    Pcpu pcpu(int cpu) {
        return cpu >= 0 && cpu < pcpus.length ? pcpus[cpu] : null;
    }

    int nextVcpuUid() {
        return nextVcpuUid++;
    }

    /** A platform's line about the machine (an error a machine thread survived): the console ring, like printk. */
    @Override
    public void log(String line) {
        printk(line);
    }

    void printk(String line) {
        console.printk(line);
        LOG.info(line);
    }

    void trace(TraceListener.Kind kind, int cpu, Vcpu v) {
        if (trace != null) trace.event(now(), kind, cpu, v.domain.id, v.id);
    }

    // ------------------------------------------------------------------ schedule path

    @Override
    public Dispatch schedule(int cpu) {
        Pcpu p = pcpus[cpu];
        Vcpu prev = p.current;
        CpuPool pool = p.pool;
        long now = now();
        if (pool == null || pool.scheduler == null) {
            if (prev != null) deschedule(p, now);
            return Dispatch.IDLE;
        }
        if (pool.pendingEviction != null) {
            evict(pool, pool.pendingEviction);
            if (pool.scheduler == null) return idleAfter(p, now);
        }
        Scheduler sched = pool.scheduler;
        Decision d;
        try {
            d = sched.doSchedule(cpu, now, prev);
        } catch (RuntimeException | Error e) {
            HookGuard.rethrowIfAbandoned(e);
            evict(pool, "do_schedule on cpu " + cpu + " threw " + e);
            return pool.scheduler == null || pool.scheduler == sched ? idleAfter(p, now) : schedule(cpu);
        }
        if (pool.scheduler != sched || p.current != prev) {
            // evicted inside the hook (a tickle it made crossed the rate bound): its decision is void
            return pool.scheduler == null ? idleAfter(p, now) : schedule(cpu);
        }
        Vcpu next = d == null ? null : (Vcpu) checkDecision(pool, cpu, prev, d);
        if (d != null && d.vcpu() != null && next == null) {
            evict(pool, "do_schedule on cpu " + cpu + " returned an invalid decision " + d.vcpu().label() + ": " + whyInvalid(pool, cpu, prev, d.vcpu()));
            return pool.scheduler == null || pool.scheduler == sched ? idleAfter(p, now) : schedule(cpu);
        }
        pool.recordDecision(now, cpu, next, d == null ? -1 : d.sliceNs());
        if (d != null && d.sliceNs() >= 0 && d.sliceNs() < MIN_SLICE_NS) {
            if (++pool.shortSlices > SHORT_SLICE_STREAK) {
                evict(pool, "rate bound: " + pool.shortSlices + " decisions in a row with slices under " + MIN_SLICE_NS / 1000 + " us (bound " + SHORT_SLICE_STREAK + ")");
                return pool.scheduler == null ? idleAfter(p, now) : schedule(cpu);
            }
        } else {
            pool.shortSlices = 0;
        }
        if (overRate(pool)) {
            evict(pool, pool.pendingEviction);
            return pool.scheduler == null ? idleAfter(p, now) : schedule(cpu);
        }
        if (next != prev) {
            if (prev != null) deschedule(p, now);
            if (next != null) {
                if (next.processor != cpu) {
                    next.place(cpu);
                    trace(TraceListener.Kind.MIGRATE, cpu, next);
                }
                next.running = true;
                next.refreshState(now);
                p.current = next;
                trace(TraceListener.Kind.RUN, cpu, next);
            }
        }
        long until = untilOf(now, d);
        if (next == null) return until == Long.MAX_VALUE ? Dispatch.IDLE : new Dispatch(null, until);
        return new Dispatch(next.guest, until);
    }

    private static long untilOf(long now, Decision d) {
        return d == null || d.sliceNs() < 0 ? Long.MAX_VALUE : now + Math.max(d.sliceNs(), 1);
    }

    private Dispatch idleAfter(Pcpu p, long now) {
        if (p.current != null) deschedule(p, now);
        return Dispatch.IDLE;
    }

    /** The decision's vCPU when the decision is valid, else null. */
    private static SchedVcpu checkDecision(CpuPool pool, int cpu, Vcpu prev, Decision d) {
        SchedVcpu v = d.vcpu();
        if (v == null) return null;
        return whyInvalid(pool, cpu, prev, v) == null ? v : null;
    }

    private static String whyInvalid(CpuPool pool, int cpu, Vcpu prev, SchedVcpu sv) {
        if (!(sv instanceof Vcpu v)) return "not a vCPU of this hypervisor";
        if (v.domain.pool != pool) return "belongs to pool " + v.domain.pool.name;
        if (!v.inserted) return "not inserted";
        if (!v.isRunnable()) return "not runnable";
        if (!v.hard.contains(cpu)) return "hard affinity " + v.hard.toRangeList() + " excludes cpu " + cpu;
        if (v.running && v != prev) return "already running on cpu " + v.processor;
        return null;
    }

    /** Takes the current vCPU off {@code p}: it stops running now. */
    private void deschedule(Pcpu p, long now) {
        Vcpu v = p.current;
        p.current = null;
        v.running = false;
        v.refreshState(now);
        trace(TraceListener.Kind.DESCHEDULE, p.id, v);
        CpuPool pool = v.domain.pool;
        if (v.inserted && pool.scheduler != null) {
            Scheduler s = pool.scheduler;
            try {
                s.contextSaved(v);
            } catch (RuntimeException | Error e) {
            HookGuard.rethrowIfAbandoned(e);
                evict(pool, "context_saved(" + v.label() + ") threw " + e);
                return;
            }
            // its affinity changed while it ran: now that it is off the pCPU, move it
            if (pool.scheduler == s && !v.hard.contains(v.processor)) migrate(v);
        }
    }

    /** Moves a not-running vCPU to the pCPU its scheduler picks, re-queueing it there. */
    void migrate(Vcpu v) {
        CpuPool pool = v.domain.pool;
        Scheduler s = pool.scheduler;
        boolean wasAwake = v.awake;
        try {
            if (wasAwake) s.sleep(v);
            int cpu = s.pickCpu(v);
            if (!pool.cpus.contains(cpu) || !v.hard.contains(cpu)) cpu = initialProcessor(v, pool);
            moveVcpu(v, cpu);
            if (wasAwake) s.wake(v);
        } catch (RuntimeException | Error e) {
            HookGuard.rethrowIfAbandoned(e);
            evict(pool, "migrating " + v.label() + " failed: " + e);
        }
    }

    /** Takes whatever runs on {@code cpu} off it now (accounted, context saved) and has the pCPU reschedule. */
    void takeOffCpu(int cpu) {
        Pcpu p = pcpus[cpu];
        if (p.current != null) deschedule(p, now());
        platform.tickle(cpu);
    }

    /** Moves a vCPU that is not running onto an allowed pCPU of {@code cpus}, re-queueing it in its scheduler. */
    void relocate(Vcpu v, CpuMask cpus) {
        CpuMask allowed = v.hard.and(cpus);
        int target = allowed.contains(v.processor) ? v.processor : allowed.first();
        CpuPool pool = v.domain.pool;
        Scheduler s = pool.scheduler;
        boolean queued = v.inserted && v.awake && s != null;
        try {
            if (queued) s.sleep(v);
            v.place(target);
            trace(TraceListener.Kind.MIGRATE, target, v);
            if (queued) s.wake(v);
        } catch (RuntimeException | Error e) {
            HookGuard.rethrowIfAbandoned(e);
            evict(pool, "relocating " + v.label() + " threw " + e);
        }
    }

    @Override
    public GuestVcpu current(int cpu) {
        Vcpu v = pcpus[cpu].current;
        return v == null ? null : v.guest;
    }

    /** Tells the scheduler about a change of the vCPU's runnability, and kicks it off its pCPU if needed. */
    void runnableChanged(Vcpu v) {
        long now = now();
        boolean r = v.isRunnable();
        if (v.inserted && r != v.awake) {
            v.awake = r;
            CpuPool pool = v.domain.pool;
            Scheduler s = pool.scheduler;
            trace(r ? TraceListener.Kind.WAKE : TraceListener.Kind.BLOCK, v.processor, v);
            try {
                if (r) s.wake(v); else s.sleep(v);
            } catch (RuntimeException | Error e) {
            HookGuard.rethrowIfAbandoned(e);
                evict(pool, (r ? "wake(" : "sleep(") + v.label() + ") threw " + e);
            }
        }
        if (!r && v.running) platform.tickle(v.processor);
        v.refreshState(now);
    }

    void yield(Vcpu v) {
        if (!v.running || !v.inserted) return;
        CpuPool pool = v.domain.pool;
        trace(TraceListener.Kind.YIELD, v.processor, v);
        try {
            pool.scheduler.yield(v);
        } catch (RuntimeException | Error e) {
            HookGuard.rethrowIfAbandoned(e);
            evict(pool, "yield(" + v.label() + ") threw " + e);
        }
        platform.tickle(v.processor);
    }

    /** A scheduler moves a vCPU that is not running to another pCPU of its pool. */
    void moveVcpu(Vcpu v, int cpu) {
        if (v.processor == cpu) return;
        CpuPool pool = v.domain.pool;
        if (!pool.cpus.contains(cpu)) throw new IllegalArgumentException(v.label() + ": cpu " + cpu + " is not in pool " + pool.name);
        if (!v.hard.contains(cpu)) throw new IllegalArgumentException(v.label() + ": cpu " + cpu + " is outside its hard affinity " + v.hard.toRangeList());
        if (v.running) throw new IllegalStateException(v.label() + " is running on cpu " + v.processor + "; it cannot move");
        v.place(cpu);
        trace(TraceListener.Kind.MIGRATE, cpu, v);
    }

    void guardedTimer(CpuPool pool, PoolContext ctx, LongConsumer callback, long now) {
        try {
            boolean o = guard.enter(pool, "timer", -1);
            try {
                callback.accept(now);
            } finally {
                if (o) guard.exit();
            }
        } catch (RuntimeException | Error e) {
            HookGuard.rethrowIfAbandoned(e);
            if (pool.ctx == ctx) evict(pool, "timer callback threw " + e);
        }
        if (pool.ctx == ctx && pool.pendingEviction != null) evict(pool, pool.pendingEviction);
    }

    /**
     * Counts one decision or tickle of the pool's scheduler against its rate bound. Over the bound
     * it records the eviction in {@link CpuPool#pendingEviction} and answers true.
     */
    boolean overRate(CpuPool pool) {
        if (pool.pendingEviction != null) return true;
        if (++pool.rateCount <= pool.rateLimit) return false;
        long now = now();
        long elapsed = now - pool.rateWindowStart;
        if (pool.rateBound <= 0 || elapsed >= CpuPool.RATE_WINDOW_NS || pool.rateLimit == 0) {
            pool.rateWindowStart = now;
            pool.rateCount = 0;
            pool.rateLimit = pool.rateBound <= 0 ? Long.MAX_VALUE
                    : (long) pool.rateBound * Math.max(1, pool.cpus.cardinality()) * (CpuPool.RATE_WINDOW_NS / 1_000_000L);
            return false;
        }
        pool.pendingEviction = String.format(java.util.Locale.ROOT,
                "rate bound: %d decisions and tickles in %.3f ms of hypervisor time on %d pCPUs (bound %d per pCPU per ms, %d per %d ms window)",
                pool.rateCount, elapsed / 1e6, pool.cpus.cardinality(), pool.rateBound, pool.rateLimit, CpuPool.RATE_WINDOW_NS / 1_000_000L);
        return true;
    }

    // ------------------------------------------------------------------ scheduler instances

    /** A pCPU for {@code v} in its pool: where it is if allowed, else the first allowed one. */
    static int initialProcessor(Vcpu v, CpuPool pool) {
        CpuMask allowed = v.hard.and(pool.cpus);
        if (allowed.contains(v.processor)) return v.processor;
        return allowed.isEmpty() ? pool.cpus.first() : allowed.first();
    }

    /** Parameters for {@code dom} under {@code prov}: its defaults, overridden by what the toolstack set. */
    static Map<String, Long> domainParams(SchedulerProvider prov, Domain dom) {
        Map<String, Long> p = new TreeMap<>(prov.defaultDomainParams());
        for (var e : dom.schedParams.entrySet()) if (p.containsKey(e.getKey())) p.put(e.getKey(), e.getValue());
        return p;
    }

    static Map<String, Long> poolParams(SchedulerProvider prov, CpuPool pool) {
        Map<String, Long> p = new TreeMap<>(prov.defaultPoolParams());
        for (var e : pool.params.entrySet()) if (p.containsKey(e.getKey())) p.put(e.getKey(), e.getValue());
        return p;
    }

    /**
     * Gives {@code pool} a new instance of {@code prov} and hands it every pCPU, domain and vCPU of
     * the pool with their parameters and run states. The pool must have no instance.
     *
     * @return false when the provider failed to take the pool (it is then left without one)
     */
    boolean attach(CpuPool pool, SchedulerProvider prov) {
        PoolContext ctx = new PoolContext(this, pool);
        Scheduler s;
        pool.attaching = prov;
        pool.ctx = ctx; // so that an instance abandoned while it starts has its timers killed
        try {
            Scheduler raw;
            boolean o = guard.enter(pool, "init (create)", -1);
            try {
                raw = prov.create(ctx, poolParams(prov, pool));
            } finally {
                if (o) guard.exit();
            }
            if (raw == null) throw new IllegalStateException("create returned no scheduler");
            s = UNGUARDED ? raw : new GuardedScheduler(raw, pool, guard);
            pool.scheduler = s;
            pool.provider = prov;
            pool.ctx = ctx;
            for (int cpu = pool.cpus.first(); cpu >= 0; cpu = pool.cpus.nextSetBit(cpu + 1)) s.addPcpu(cpu);
            for (Domain d : pool.domains) {
                s.addDomain(d, domainParams(prov, d));
                for (Vcpu v : d.vcpus) {
                    v.place(initialProcessor(v, pool));
                    v.awake = false;
                    if (!v.online) continue;
                    s.insertVcpu(v);
                    v.inserted = true;
                }
            }
            for (Domain d : pool.domains) {
                for (Vcpu v : d.vcpus) {
                    if (v.isRunnable()) {
                        v.awake = true;
                        s.wake(v);
                    }
                }
            }
        } catch (RuntimeException | Error e) {
            HookGuard.rethrowIfAbandoned(e);
            pool.attaching = null;
            printk("cpupool " + pool.name + ": scheduler " + prov.optName() + " failed to start: " + e);
            detach(pool, false);
            return false;
        }
        pool.attaching = null;
        for (int cpu = pool.cpus.first(); cpu >= 0; cpu = pool.cpus.nextSetBit(cpu + 1)) platform.tickle(cpu);
        return true;
    }

    /**
     * Takes the pool's instance away: running vCPUs leave their pCPUs, the instance's timers stop.
     * With {@code graceful} the instance is told through its hooks (vCPUs removed, pCPUs removed,
     * shutdown); an evicted instance is not called again.
     */
    void detach(CpuPool pool, boolean graceful) {
        Scheduler s = pool.scheduler;
        long now = now();
        for (int cpu = pool.cpus.first(); cpu >= 0; cpu = pool.cpus.nextSetBit(cpu + 1)) {
            Pcpu p = pcpus[cpu];
            if (p.current != null) {
                Vcpu v = p.current;
                p.current = null;
                v.running = false;
                v.refreshState(now);
                trace(TraceListener.Kind.DESCHEDULE, cpu, v);
            }
            platform.tickle(cpu);
        }
        if (pool.ctx != null) pool.ctx.kill();
        for (Domain d : pool.domains) {
            for (Vcpu v : d.vcpus) {
                if (graceful && v.inserted && s != null) quietly(() -> s.removeVcpu(v));
                v.inserted = false;
                v.awake = false;
                v.setSchedData(null);
            }
            if (graceful && s != null) quietly(() -> s.removeDomain(d));
            d.setSchedData(null);
        }
        if (graceful && s != null) {
            for (int cpu = pool.cpus.first(); cpu >= 0; cpu = pool.cpus.nextSetBit(cpu + 1)) {
                int c = cpu;
                quietly(() -> s.removePcpu(c));
            }
            quietly(s::shutdown);
        }
        pool.scheduler = null;
        pool.provider = null;
        pool.ctx = null;
        pool.pendingEviction = null;
        pool.shortSlices = 0;
        pool.rateCount = 0;
        pool.rateLimit = 0;
    }

    private void quietly(Runnable r) {
        try {
            r.run();
        } catch (RuntimeException | Error e) {
            HookGuard.rethrowIfAbandoned(e);
            LOG.warn("scheduler hook failed while being detached", e);
        }
    }

    /** The scheduler a pool should run: the one it asks for, else the default, else the built-in fallback. */
    SchedulerProvider chooseFor(CpuPool pool, SchedulerProvider excluded) {
        SchedulerProvider p = providers.get(pool.schedulerName);
        if (p == null || p == excluded) p = providers.get(config.defaultScheduler());
        if (p == null || p == excluded) p = FallbackScheduler.PROVIDER;
        return p;
    }

    /**
     * Replaces the pool's instance with a new one of {@code prov}: quiesce (running vCPUs leave
     * their pCPUs), hand every vCPU over with its parameters and run state, resume. Falls back to
     * the built-in scheduler if {@code prov} cannot take the pool.
     *
     * @return the pause, ns of wall-clock time
     */
    long switchTo(CpuPool pool, SchedulerProvider prov, boolean graceful) {
        long t0 = System.nanoTime();
        String from = pool.provider == null ? "(none)" : pool.provider.optName();
        if (pool.scheduler != null) detach(pool, graceful);
        if (!attach(pool, prov) && prov != FallbackScheduler.PROVIDER) attach(pool, FallbackScheduler.PROVIDER);
        long pause = System.nanoTime() - t0;
        int vcpus = 0;
        for (Domain d : pool.domains) vcpus += d.vcpus.length;
        printk("cpupool " + pool.name + ": scheduler " + from + " -> " + pool.provider.optName() + ", " + vcpus + " vcpus handed over, pause "
                + String.format(java.util.Locale.ROOT, "%.1f", pause / 1000.0) + " us");
        armWatchdog(pool);
        return pause;
    }

    /**
     * Evicts a misbehaving instance: the pool falls back at once to the default scheduler (or the
     * built-in one if the default is what failed). Nothing is lost: domains, vCPUs, parameters and
     * run states stay with the core and are handed over. A structured record goes to the console.
     */
    void evict(CpuPool pool, String reason) {
        evict(pool, reason, null);
    }

    /** {@link #evict(CpuPool, String)} with the stuck thread's stack in the record. */
    void evict(CpuPool pool, String reason, StackTraceElement[] stack) {
        SchedulerProvider failed = pool.scheduler != null ? pool.provider : pool.attaching;
        if (failed == null) return;
        pool.pendingEviction = null;
        printk("watchdog: cpupool " + pool.name + " (id " + pool.id + "): scheduler " + failed.optName() + " evicted: " + reason);
        if (stack != null) {
            int n = Math.min(stack.length, STACK_FRAMES);
            for (int i = 0; i < n; i++) printk("watchdog:   at " + stack[i]);
            if (stack.length > n) printk("watchdog:   ... " + (stack.length - n) + " more frames");
        }
        for (String d : pool.lastDecisions(now())) printk("watchdog:   " + d);
        pool.attaching = null;
        switchTo(pool, chooseFor(pool, failed), false);
        // the pool stops asking for what failed: only an operator's switch brings it back
        pool.schedulerName = pool.provider == FallbackScheduler.PROVIDER ? config.defaultScheduler() : pool.provider.optName();
    }

    private static final int STACK_FRAMES = 12;

    /**
     * A hook overran a bound: its thread is abandoned and this thread has machine context. The pool
     * is evicted with the stuck thread's stack, the platform replaces the thread if it was one of its
     * own, a toolstack call that was running there fails at once, and a domain it was creating goes.
     */
    private void overrun(HookGuard.Overrun o) {
        CpuPool pool = o.pool();
        lastOverrunAt = now();
        if (pools.get(pool.id) == pool) evict(pool, o.describe(), o.stack());
        else printk("watchdog: " + o.describe() + " (its pool is gone)");
        try {
            platform.abandoned(o.thread());
        } catch (RuntimeException e) {
            printk("watchdog: the platform could not replace " + o.thread().getName() + ": " + e);
        }
        abandonListener.accept(o.thread());
    }

    /** A scheduler provider appeared: pools asking for it move to it, from a fallback or an older registration. */
    void providerAdded(SchedulerProvider prov) {
        providers.put(prov.optName(), prov);
        for (CpuPool pool : pools.values()) {
            if (!prov.optName().equals(pool.schedulerName) || pool.provider == prov) continue;
            if (pool.provider == null || pool.provider == FallbackScheduler.PROVIDER || pool.provider.optName().equals(prov.optName())
                    || pool.provider.optName().equals(config.defaultScheduler())) {
                switchTo(pool, prov, true);
            }
        }
    }

    /** A scheduler provider went away: its pools move to another registration of it, else the default, else the built-in. */
    void providerRemoved(SchedulerProvider prov) {
        if (providers.get(prov.optName()) == prov) providers.remove(prov.optName());
        for (CpuPool pool : pools.values()) {
            if (pool.provider == prov) {
                printk("cpupool " + pool.name + ": scheduler " + prov.optName() + " is going away");
                switchTo(pool, chooseFor(pool, prov), true);
            }
        }
    }

    // ------------------------------------------------------------------ watchdog

    /** (Re)arms the pool's watchdog timer on its first pCPU; off when the bound is 0 or the pool is empty. */
    void armWatchdog(CpuPool pool) {
        if (pool.watchdog != null) pool.watchdog.stop();
        pool.watchdog = null;
        if (pool.watchdogNs <= 0 || pool.cpus.isEmpty()) return;
        long period = Math.max(pool.watchdogNs / 4, 1_000_000L);
        pool.watchdog = platform.timers().createTimer(pool.cpus.first(), now -> {
            if (checkWatchdog(pool, now) && pool.watchdog != null) pool.watchdog.set(now + period);
        });
        pool.watchdog.set(now() + period);
    }

    /** @return false when it evicted (the switch re-armed a fresh watchdog) */
    private boolean checkWatchdog(CpuPool pool, long now) {
        if (pool.scheduler == null || pool.provider == FallbackScheduler.PROVIDER) return true;
        for (Domain d : pool.domains) {
            Long cap = d.schedParams.get("cap");
            if (cap != null && cap > 0) continue; // a capped domain waits by design
            for (Vcpu v : d.vcpus) {
                long since = v.waitingSince();
                // a wait that began before another pool's hook overran is not this pool's doing
                if (since >= 0 && since < lastOverrunAt) since = lastOverrunAt;
                if (since >= 0 && now - since > pool.watchdogNs) {
                    evict(pool, "stall: vcpu " + v.label() + " runnable for " + (now - since) / 1_000_000 + " ms without running (bound "
                            + pool.watchdogNs / 1_000_000 + " ms)");
                    return false;
                }
            }
        }
        return true;
    }

    /** The debug dump of every pool's scheduler (Xen's 'r' key). */
    List<String> dumpSchedulers() {
        List<String> out = new ArrayList<>();
        for (CpuPool pool : pools.values()) {
            StringWriter w = new StringWriter();
            w.write("Cpupool " + pool.name + ":\n");
            if (pool.scheduler == null) w.write("  (no scheduler)\n");
            else {
                try (PrintWriter pw = new PrintWriter(w)) {
                    pool.scheduler.dump(pw);
                } catch (RuntimeException e) {
                    w.write("  dump failed: " + e + "\n");
                }
            }
            out.add(w.toString());
        }
        return out;
    }
}
