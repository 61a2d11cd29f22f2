package org.hvkit.core.internal;

import java.io.PrintWriter;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.TreeMap;
import org.hvkit.api.domain.CpuMask;
import org.hvkit.api.sched.Decision;
import org.hvkit.api.sched.SchedDomain;
import org.hvkit.api.sched.SchedVcpu;
import org.hvkit.api.sched.Scheduler;
import org.hvkit.api.sched.SchedulerContext;
import org.hvkit.api.sched.SchedulerProvider;

/**
 * The core's own last-resort scheduler: round robin per pCPU with 10 ms slices, idle pCPUs
 * stealing work within hard affinity. It runs a pool whose scheduler was evicted when no other
 * scheduler can take over, so that the pool never stops. Parameters are kept, not enforced.
 */
final class FallbackScheduler implements Scheduler {
    static final String NAME = "rr-fallback";
    static final long SLICE_NS = 10_000_000L;

    static final SchedulerProvider PROVIDER = new SchedulerProvider() {
        @Override public String name() { return "hvkit built-in round robin (fallback)"; }
        @Override public String optName() { return NAME; }
        @Override public int schedulerId() { return 0; }
        @Override public Map<String, Long> defaultPoolParams() { return Map.of(); }
        @Override public Map<String, Long> defaultDomainParams() { return Map.of("weight", 256L, "cap", 0L); }
        @Override public Scheduler create(SchedulerContext ctx, Map<String, Long> poolParams) { return new FallbackScheduler(ctx); }
    };

    private final SchedulerContext ctx;
    private final Map<Integer, ArrayDeque<SchedVcpu>> queues = new TreeMap<>();
    private final Map<SchedDomain, Map<String, Long>> params = new HashMap<>();
    private CpuMask idle = CpuMask.EMPTY;

    FallbackScheduler(SchedulerContext ctx) {
        this.ctx = ctx;
    }

    @Override public void addPcpu(int cpu) { queues.put(cpu, new ArrayDeque<>()); idle = idle.with(cpu); }
    @Override public void removePcpu(int cpu) { queues.remove(cpu); idle = idle.without(cpu); }
    @Override public void addDomain(SchedDomain dom, Map<String, Long> p) { params.put(dom, new TreeMap<>(p)); }
    @Override public void removeDomain(SchedDomain dom) { params.remove(dom); }
    @Override public void insertVcpu(SchedVcpu v) { }
    @Override public void removeVcpu(SchedVcpu v) { dequeue(v); }
    @Override public void sleep(SchedVcpu v) { dequeue(v); }
    @Override public void yield(SchedVcpu v) { }

    private void dequeue(SchedVcpu v) {
        for (ArrayDeque<SchedVcpu> q : queues.values()) q.remove(v);
    }

    @Override
    public void wake(SchedVcpu v) {
        if (v.isRunning()) return;
        ArrayDeque<SchedVcpu> q = queues.get(v.processor());
        if (q != null && !q.contains(v)) q.addLast(v);
        CpuMask idleAllowed = idle.and(v.hardAffinity());
        if (idleAllowed.contains(v.processor())) ctx.tickle(v.processor());
        else if (!idleAllowed.isEmpty()) ctx.tickle(idleAllowed.first());
    }

    @Override
    public Decision doSchedule(int cpu, long now, SchedVcpu current) {
        ArrayDeque<SchedVcpu> own = queues.get(cpu);
        if (current != null && current.isRunnable() && !own.contains(current)) own.addLast(current);
        SchedVcpu next = take(own, cpu, current);
        if (next == null) {
            for (ArrayDeque<SchedVcpu> q : queues.values()) {
                if (q == own) continue;
                next = take(q, cpu, current);
                if (next != null) {
                    next.setProcessor(cpu);
                    break;
                }
            }
        }
        idle = next == null ? idle.with(cpu) : idle.without(cpu);
        return next == null ? Decision.IDLE : Decision.run(next, SLICE_NS);
    }

    private static SchedVcpu take(ArrayDeque<SchedVcpu> q, int cpu, SchedVcpu current) {
        for (Iterator<SchedVcpu> it = q.iterator(); it.hasNext(); ) {
            SchedVcpu v = it.next();
            if (v.hardAffinity().contains(cpu) && (!v.isRunning() || v == current)) {
                it.remove();
                return v;
            }
        }
        return null;
    }

    @Override
    public int pickCpu(SchedVcpu v) {
        CpuMask allowed = v.hardAffinity().and(maskOf(queues));
        CpuMask idleAllowed = allowed.and(idle);
        return !idleAllowed.isEmpty() ? idleAllowed.first() : allowed.contains(v.processor()) ? v.processor() : allowed.first();
    }

    private static CpuMask maskOf(Map<Integer, ?> m) {
        CpuMask.Builder b = CpuMask.builder();
        m.keySet().forEach(b::set);
        return b.build();
    }

    @Override public Map<String, Long> getDomainParams(SchedDomain dom) { return Map.copyOf(params.getOrDefault(dom, Map.of())); }
    @Override public void setDomainParams(SchedDomain dom, Map<String, Long> p) { params.computeIfAbsent(dom, d -> new TreeMap<>()).putAll(p); }
    @Override public Map<String, Long> getPoolParams() { return Map.of(); }
    @Override public void setPoolParams(Map<String, Long> p) { }

    @Override
    public void dump(PrintWriter out) {
        out.println("Scheduler: " + PROVIDER.name());
        queues.forEach((cpu, q) -> out.println("CPU[" + cpu + "] runq=" + q));
    }

    @Override public void shutdown() { }
}
