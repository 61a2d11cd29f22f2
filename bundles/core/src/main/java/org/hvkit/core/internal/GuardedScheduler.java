package org.hvkit.core.internal;

import java.io.PrintWriter;
import java.util.Map;
import org.hvkit.api.sched.Decision;
import org.hvkit.api.sched.SchedDomain;
import org.hvkit.api.sched.SchedVcpu;
import org.hvkit.api.sched.Scheduler;

/**
 * A pool's scheduler instance as the core calls it: every hook runs under the {@link HookGuard},
 * named as Xen names the hook, so an overrun is evicted and reported by name.
 */
final class GuardedScheduler implements Scheduler {
    final Scheduler inner;
    private final CpuPool pool;
    private final HookGuard g;

    GuardedScheduler(Scheduler inner, CpuPool pool, HookGuard g) {
        this.inner = inner;
        this.pool = pool;
        this.g = g;
    }

    @Override
    public Decision doSchedule(int cpu, long now, SchedVcpu current) {
        boolean o = g.enter(pool, "do_schedule", cpu);
        try {
            return inner.doSchedule(cpu, now, current);
        } finally {
            if (o) g.exit();
        }
    }

    @Override
    public void wake(SchedVcpu v) {
        boolean o = g.enter(pool, "wake", v.processor());
        try {
            inner.wake(v);
        } finally {
            if (o) g.exit();
        }
    }

    @Override
    public void sleep(SchedVcpu v) {
        boolean o = g.enter(pool, "sleep", v.processor());
        try {
            inner.sleep(v);
        } finally {
            if (o) g.exit();
        }
    }

    @Override
    public void yield(SchedVcpu v) {
        boolean o = g.enter(pool, "yield", v.processor());
        try {
            inner.yield(v);
        } finally {
            if (o) g.exit();
        }
    }

    @Override
    public void contextSaved(SchedVcpu v) {
        boolean o = g.enter(pool, "context_saved", v.processor());
        try {
            inner.contextSaved(v);
        } finally {
            if (o) g.exit();
        }
    }

    @Override
    public int pickCpu(SchedVcpu v) {
        boolean o = g.enter(pool, "pick_cpu", v.processor());
        try {
            return inner.pickCpu(v);
        } finally {
            if (o) g.exit();
        }
    }

    @Override
    public void affinityChanged(SchedVcpu v) {
        boolean o = g.enter(pool, "affinity_changed", v.processor());
        try {
            inner.affinityChanged(v);
        } finally {
            if (o) g.exit();
        }
    }

    @Override
    public void addPcpu(int cpu) {
        boolean o = g.enter(pool, "add_pcpu", cpu);
        try {
            inner.addPcpu(cpu);
        } finally {
            if (o) g.exit();
        }
    }

    @Override
    public void removePcpu(int cpu) {
        boolean o = g.enter(pool, "remove_pcpu", cpu);
        try {
            inner.removePcpu(cpu);
        } finally {
            if (o) g.exit();
        }
    }

    @Override
    public void addDomain(SchedDomain dom, Map<String, Long> params) {
        boolean o = g.enter(pool, "init_domain", -1);
        try {
            inner.addDomain(dom, params);
        } finally {
            if (o) g.exit();
        }
    }

    @Override
    public void removeDomain(SchedDomain dom) {
        boolean o = g.enter(pool, "destroy_domain", -1);
        try {
            inner.removeDomain(dom);
        } finally {
            if (o) g.exit();
        }
    }

    @Override
    public void insertVcpu(SchedVcpu v) {
        boolean o = g.enter(pool, "insert_vcpu", v.processor());
        try {
            inner.insertVcpu(v);
        } finally {
            if (o) g.exit();
        }
    }

    @Override
    public void removeVcpu(SchedVcpu v) {
        boolean o = g.enter(pool, "remove_vcpu", v.processor());
        try {
            inner.removeVcpu(v);
        } finally {
            if (o) g.exit();
        }
    }

    @Override
    public Map<String, Long> getDomainParams(SchedDomain dom) {
        boolean o = g.enter(pool, "adjust (get)", -1);
        try {
            return inner.getDomainParams(dom);
        } finally {
            if (o) g.exit();
        }
    }

    @Override
    public void setDomainParams(SchedDomain dom, Map<String, Long> params) {
        boolean o = g.enter(pool, "adjust (put)", -1);
        try {
            inner.setDomainParams(dom, params);
        } finally {
            if (o) g.exit();
        }
    }

    @Override
    public Map<String, Long> getPoolParams() {
        boolean o = g.enter(pool, "adjust_global (get)", -1);
        try {
            return inner.getPoolParams();
        } finally {
            if (o) g.exit();
        }
    }

    @Override
    public void setPoolParams(Map<String, Long> params) {
        boolean o = g.enter(pool, "adjust_global (put)", -1);
        try {
            inner.setPoolParams(params);
        } finally {
            if (o) g.exit();
        }
    }

    @Override
    public void dump(PrintWriter out) {
        boolean o = g.enter(pool, "dump_settings", -1);
        try {
            inner.dump(out);
        } finally {
            if (o) g.exit();
        }
    }

    @Override
    public void shutdown() {
        boolean o = g.enter(pool, "deinit", -1);
        try {
            inner.shutdown();
        } finally {
            if (o) g.exit();
        }
    }
}
