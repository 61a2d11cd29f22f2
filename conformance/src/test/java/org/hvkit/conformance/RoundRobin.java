package org.hvkit.conformance;

import java.io.PrintWriter;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.Map;
import org.hvkit.api.sched.Decision;
import org.hvkit.api.sched.SchedDomain;
import org.hvkit.api.sched.SchedVcpu;
import org.hvkit.api.sched.Scheduler;
import org.hvkit.api.sched.SchedulerContext;
import org.hvkit.api.sched.SchedulerProvider;

/**
 * Test schedulers for the kit itself: a global round robin (one FIFO, 5 ms slices, idle pCPUs
 * tickled on wake-up) that is work conserving and fair per vCPU but ignores weights and caps, and
 * deliberately broken variants of it.
 */
final class RoundRobin implements Scheduler {
    enum Bug { NONE, IGNORES_AFFINITY, STARVES_DOMAIN_2, NEVER_TICKLES }

    static SchedulerProvider provider(Bug bug) {
        return provider(bug, Map.of("weight", 256L, "cap", 0L));
    }

    /** With other domain parameters: {@code Map.of()} is a third party's scheduler that takes none. */
    static SchedulerProvider provider(Bug bug, Map<String, Long> domainParams) {
        return new SchedulerProvider() {
            @Override public String name() { return "test round robin (" + bug + ")"; }
            @Override public String optName() { return "rr-" + bug.name().toLowerCase(); }
            @Override public int schedulerId() { return 901; }
            @Override public Map<String, Long> defaultPoolParams() { return Map.of(); }
            @Override public Map<String, Long> defaultDomainParams() { return domainParams; }
            @Override public Scheduler create(SchedulerContext ctx, Map<String, Long> p) { return new RoundRobin(ctx, bug, !domainParams.isEmpty()); }
        };
    }

    private final SchedulerContext ctx;
    private final Bug bug;
    private final ArrayDeque<SchedVcpu> queue = new ArrayDeque<>();
    private final boolean[] idle;
    private final Map<SchedDomain, long[]> params = new java.util.IdentityHashMap<>();

    private final boolean hasParams;

    private RoundRobin(SchedulerContext ctx, Bug bug, boolean hasParams) {
        this.ctx = ctx;
        this.bug = bug;
        this.hasParams = hasParams;
        this.idle = new boolean[ctx.topology().nrCpus()];
    }

    @Override public void addPcpu(int cpu) { idle[cpu] = true; }
    @Override public void removePcpu(int cpu) { idle[cpu] = false; }
    @Override public void addDomain(SchedDomain dom, Map<String, Long> p) { params.put(dom, new long[] {p.getOrDefault("weight", 0L), p.getOrDefault("cap", 0L)}); }
    @Override public void removeDomain(SchedDomain dom) { params.remove(dom); }
    @Override public void insertVcpu(SchedVcpu v) { }
    @Override public void removeVcpu(SchedVcpu v) { queue.remove(v); }
    @Override public void sleep(SchedVcpu v) { queue.remove(v); }

    @Override
    public void wake(SchedVcpu v) {
        if (v.isRunning() || queue.contains(v)) return;
        queue.addLast(v);
        if (bug == Bug.NEVER_TICKLES) return;
        for (int c = 0; c < idle.length; c++) {
            if (idle[c] && (bug == Bug.IGNORES_AFFINITY || v.hardAffinity().contains(c))) {
                idle[c] = false;
                ctx.tickle(c);
                return;
            }
        }
    }

    @Override public void yield(SchedVcpu v) { }

    @Override
    public Decision doSchedule(int cpu, long now, SchedVcpu current) {
        if (current != null && current.isRunnable() && !queue.contains(current)) queue.addLast(current);
        for (Iterator<SchedVcpu> it = queue.iterator(); it.hasNext(); ) {
            SchedVcpu v = it.next();
            if (bug == Bug.STARVES_DOMAIN_2 && v.domain().id() == 2) continue;
            if (bug != Bug.IGNORES_AFFINITY && !v.hardAffinity().contains(cpu)) continue;
            if (v.isRunning() && v != current) continue;
            it.remove();
            idle[cpu] = false;
            return Decision.run(v, 5_000_000L);
        }
        idle[cpu] = true;
        return Decision.IDLE;
    }

    @Override
    public int pickCpu(SchedVcpu v) {
        return v.hardAffinity().contains(v.processor()) ? v.processor() : v.hardAffinity().first();
    }

    @Override
    public Map<String, Long> getDomainParams(SchedDomain dom) {
        long[] p = params.get(dom);
        return hasParams ? Map.of("weight", p[0], "cap", p[1]) : Map.of();
    }

    @Override
    public void setDomainParams(SchedDomain dom, Map<String, Long> p) {
        long[] cur = params.get(dom);
        if (p.containsKey("weight")) cur[0] = p.get("weight");
        if (p.containsKey("cap")) cur[1] = p.get("cap");
    }

    @Override public Map<String, Long> getPoolParams() { return Map.of(); }
    @Override public void setPoolParams(Map<String, Long> p) { }
    @Override public void dump(PrintWriter out) { out.println("rr " + queue.size() + " queued"); }
    @Override public void shutdown() { }
}
