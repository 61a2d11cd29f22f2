package org.hvkit.itest.schedulers.internal;

import java.io.PrintWriter;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import org.hvkit.api.sched.Decision;
import org.hvkit.api.sched.SchedDomain;
import org.hvkit.api.sched.SchedVcpu;
import org.hvkit.api.sched.Scheduler;
import org.hvkit.api.sched.SchedulerContext;

/** A plain per-pCPU round robin that the misbehaving schedulers build on. */
class RoundRobin implements Scheduler {
    final SchedulerContext ctx;
    private final Map<Integer, ArrayDeque<SchedVcpu>> runq = new HashMap<>();
    private final Map<SchedDomain, Map<String, Long>> params = new HashMap<>();

    RoundRobin(SchedulerContext ctx) {
        this.ctx = ctx;
    }

    @Override public void addPcpu(int cpu) { runq.put(cpu, new ArrayDeque<>()); }
    @Override public void removePcpu(int cpu) { runq.remove(cpu); }
    @Override public void addDomain(SchedDomain dom, Map<String, Long> p) { params.put(dom, new HashMap<>(p)); }
    @Override public void removeDomain(SchedDomain dom) { params.remove(dom); }
    @Override public void insertVcpu(SchedVcpu v) { }
    @Override public void removeVcpu(SchedVcpu v) { runq.values().forEach(q -> q.remove(v)); }
    @Override public void sleep(SchedVcpu v) { runq.values().forEach(q -> q.remove(v)); }

    @Override
    public void wake(SchedVcpu v) {
        ArrayDeque<SchedVcpu> q = runq.get(v.processor());
        if (!v.isRunning() && q != null && !q.contains(v)) q.addLast(v);
        ctx.tickle(v.processor());
    }

    @Override public void yield(SchedVcpu v) { }

    @Override
    public Decision doSchedule(int cpu, long now, SchedVcpu current) {
        ArrayDeque<SchedVcpu> q = runq.get(cpu);
        if (current != null && current.isRunnable() && !q.contains(current)) q.addLast(current);
        SchedVcpu next = q.pollFirst();
        return next == null ? Decision.IDLE : Decision.run(next, 10_000_000L);
    }

    @Override public int pickCpu(SchedVcpu v) { return v.processor(); }
    @Override public Map<String, Long> getDomainParams(SchedDomain dom) { return Map.copyOf(params.get(dom)); }
    @Override public void setDomainParams(SchedDomain dom, Map<String, Long> p) { params.get(dom).putAll(p); }
    @Override public Map<String, Long> getPoolParams() { return Map.of(); }
    @Override public void setPoolParams(Map<String, Long> p) { }
    @Override public void dump(PrintWriter out) { out.println("round robin " + runq); }
    @Override public void shutdown() { }
}
