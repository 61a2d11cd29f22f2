package ${package};

import java.io.PrintWriter;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.Map;
import java.util.TreeSet;
import org.hvkit.api.domain.CpuMask;
import org.hvkit.api.sched.Decision;
import org.hvkit.api.sched.SchedDomain;
import org.hvkit.api.sched.SchedVcpu;
import org.hvkit.api.sched.Scheduler;
import org.hvkit.api.sched.SchedulerContext;

/**
 * One pool's instance: a single FIFO of runnable vCPUs shared by the pool's pCPUs, a fixed slice.
 * Replace the policy, keep the shape. The core serialises every call into this object (machine
 * context), so there are no locks here; a hook must return quickly, must not block, sleep or start
 * threads, and must not call the toolstack (docs/plugins.md in hvkit says what happens otherwise).
 */
final class ${className}Scheduler implements Scheduler {
    private final SchedulerContext ctx;
    private final ArrayDeque<SchedVcpu> runq = new ArrayDeque<>();
    private final TreeSet<Integer> cpus = new TreeSet<>();
    private long sliceNs;

    ${className}Scheduler(SchedulerContext ctx, Map<String, Long> poolParams) {
        this.ctx = ctx;
        setPoolParams(poolParams);
    }

    @Override public void addPcpu(int cpu) { cpus.add(cpu); }
    @Override public void removePcpu(int cpu) { cpus.remove(cpu); }
    @Override public void addDomain(SchedDomain dom, Map<String, Long> params) { }
    @Override public void removeDomain(SchedDomain dom) { }
    @Override public void insertVcpu(SchedVcpu v) { }
    @Override public void removeVcpu(SchedVcpu v) { runq.remove(v); }
    @Override public void sleep(SchedVcpu v) { runq.remove(v); }
    @Override public void yield(SchedVcpu v) { }

    @Override
    public void wake(SchedVcpu v) {
        if (v.isRunning() || runq.contains(v)) return;
        runq.addLast(v);
        // Work conservation: wake an idle pCPU this vCPU may use.
        for (int cpu : cpus) {
            if (v.hardAffinity().contains(cpu) && ctx.current(cpu) == null) {
                ctx.tickle(cpu);
                return;
            }
        }
    }

    @Override
    public Decision doSchedule(int cpu, long now, SchedVcpu current) {
        if (current != null && current.isRunnable() && !runq.contains(current)) runq.addLast(current);
        for (Iterator<SchedVcpu> it = runq.iterator(); it.hasNext(); ) {
            SchedVcpu v = it.next();
            if (!v.hardAffinity().contains(cpu) || (v.isRunning() && v != current)) continue;
            it.remove();
            boolean moved = v.processor() != cpu;
            if (moved) v.setProcessor(cpu);
            return new Decision(v, sliceNs, moved);
        }
        return Decision.IDLE;
    }

    @Override
    public int pickCpu(SchedVcpu v) {
        CpuMask allowed = v.hardAffinity();
        if (cpus.contains(v.processor()) && allowed.contains(v.processor())) return v.processor();
        for (int cpu : cpus) if (allowed.contains(cpu)) return cpu;
        return cpus.first();
    }

    @Override public Map<String, Long> getDomainParams(SchedDomain dom) { return Map.of(); }

    @Override
    public void setDomainParams(SchedDomain dom, Map<String, Long> params) {
        if (!params.isEmpty()) throw new IllegalArgumentException("${pluginName} has no domain parameters: " + params.keySet());
    }

    @Override public Map<String, Long> getPoolParams() { return Map.of("tslice_ms", sliceNs / 1_000_000); }

    @Override
    public void setPoolParams(Map<String, Long> params) {
        Long t = params.get("tslice_ms");
        if (t == null) return;
        // Validate before changing anything: a rejected call leaves the instance as it was.
        if (t < 1 || t > 1000) throw new IllegalArgumentException("tslice_ms " + t + " out of range, valid values are 1 to 1000");
        sliceNs = t * 1_000_000;
    }

    @Override
    public void dump(PrintWriter out) {
        out.println("Scheduler: ${className} round-robin scheduler (${pluginName})");
        out.println("\ttslice = " + sliceNs / 1_000_000 + "ms, runq: " + runq.stream().map(SchedVcpu::label).toList());
    }

    @Override public void shutdown() { runq.clear(); }
}
