package org.hvkit.testkit;

import java.io.PrintWriter;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import org.hvkit.api.sched.Decision;
import org.hvkit.api.sched.SchedDomain;
import org.hvkit.api.sched.SchedVcpu;
import org.hvkit.api.sched.Scheduler;
import org.hvkit.api.sched.SchedulerContext;
import org.hvkit.api.sched.SchedulerProvider;

/** A minimal round-robin scheduler (one FIFO per pCPU, 10 ms slices) to exercise the core and the machine. */
class FifoScheduler implements Scheduler {
    static class Provider implements SchedulerProvider {
        @Override public String name() { return "test FIFO"; }
        @Override public String optName() { return "fifo"; }
        @Override public int schedulerId() { return 900; }
        @Override public Map<String, Long> defaultPoolParams() { return Map.of("slice_ms", 10L); }
        @Override public Map<String, Long> defaultDomainParams() { return Map.of("weight", 256L); }
        @Override public Scheduler create(SchedulerContext ctx, Map<String, Long> p) { return new FifoScheduler(ctx, p.get("slice_ms")); }
    }

    private final SchedulerContext ctx;
    private long sliceMs;
    private final Map<Integer, ArrayDeque<SchedVcpu>> runq = new HashMap<>();
    private final Map<SchedDomain, Long> weights = new HashMap<>();

    FifoScheduler(SchedulerContext ctx, long sliceMs) {
        this.ctx = ctx;
        this.sliceMs = sliceMs;
    }

    @Override public void addPcpu(int cpu) { runq.put(cpu, new ArrayDeque<>()); }
    @Override public void removePcpu(int cpu) { runq.remove(cpu); }
    @Override public void addDomain(SchedDomain dom, Map<String, Long> params) { weights.put(dom, params.get("weight")); }
    @Override public void removeDomain(SchedDomain dom) { weights.remove(dom); }
    @Override public void insertVcpu(SchedVcpu v) { }
    @Override public void removeVcpu(SchedVcpu v) { runq.get(v.processor()).remove(v); }
    @Override public void sleep(SchedVcpu v) { runq.get(v.processor()).remove(v); }

    @Override
    public void wake(SchedVcpu v) {
        if (!v.isRunning()) runq.get(v.processor()).addLast(v);
        if (ctx.current(v.processor()) == null) ctx.tickle(v.processor());
    }

    @Override public void yield(SchedVcpu v) { }

    @Override
    public Decision doSchedule(int cpu, long now, SchedVcpu current) {
        ArrayDeque<SchedVcpu> q = runq.get(cpu);
        if (current != null && current.isRunnable()) q.addLast(current);
        SchedVcpu next = q.pollFirst();
        return next == null ? Decision.IDLE : Decision.run(next, sliceMs * 1_000_000);
    }

    @Override public int pickCpu(SchedVcpu v) { return v.processor(); }
    @Override public Map<String, Long> getDomainParams(SchedDomain dom) { return Map.of("weight", weights.get(dom)); }

    @Override
    public void setDomainParams(SchedDomain dom, Map<String, Long> params) {
        Long w = params.get("weight");
        if (w != null && (w < 1 || w > 65535)) throw new IllegalArgumentException("weight out of range");
        if (w != null) weights.put(dom, w);
    }

    @Override public Map<String, Long> getPoolParams() { return Map.of("slice_ms", sliceMs); }
    @Override public void setPoolParams(Map<String, Long> params) { sliceMs = params.getOrDefault("slice_ms", sliceMs); }
    @Override public void dump(PrintWriter out) { out.println("fifo " + runq); }
    @Override public void shutdown() { }
}
