package org.hvkit.core.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.function.LongConsumer;
import org.hvkit.api.platform.HostTopology;
import org.hvkit.api.sched.SchedTimer;
import org.hvkit.api.sched.SchedVcpu;
import org.hvkit.api.sched.SchedulerContext;
import org.hvkit.api.timer.HvTimer;

/**
 * The core's services for one scheduler instance. Once the instance is detached the context is
 * dead: its timers are stopped and never fire again, and tickles are ignored.
 */
final class PoolContext implements SchedulerContext {
    private final Machine machine;
    private final CpuPool pool;
    private final List<HvTimer> timers = new ArrayList<>();
    boolean alive = true;

    PoolContext(Machine machine, CpuPool pool) {
        this.machine = machine;
        this.pool = pool;
    }

    @Override
    public long now() {
        return machine.now();
    }

    @Override
    public int poolId() {
        return pool.id;
    }

    @Override
    public String poolName() {
        return pool.name;
    }

    @Override
    public HostTopology topology() {
        return machine.topology();
    }

    @Override
    public void tickle(int cpu) {
        boolean in = machine.guard.callbackEnter();
        try {
            if (!alive || !pool.cpus.contains(cpu)) return;
            if (machine.overRate(pool)) return; // the storm stops here; the pool is evicted once the hook returns
            machine.platform().tickle(cpu);
        } finally {
            if (in) machine.guard.callbackExit();
        }
    }

    @Override
    public SchedVcpu current(int cpu) {
        boolean in = machine.guard.callbackEnter();
        try {
            Pcpu p = machine.pcpu(cpu);
            return p != null && p.pool == pool ? p.current : null;
        } finally {
            if (in) machine.guard.callbackExit();
        }
    }

    @Override
    public SchedTimer createTimer(int cpu, LongConsumer callback) {
        HookGuard g = machine.guard;
        boolean in = g.callbackEnter();
        HvTimer t;
        try {
            t = machine.platform().timers().createTimer(cpu, now -> {
                if (alive) machine.guardedTimer(pool, this, callback, now);
            });
            timers.add(t);
        } finally {
            if (in) g.callbackExit();
        }
        return new SchedTimer() {
            @Override public void set(long deadlineNs) {
                boolean i = g.callbackEnter();
                try {
                    if (alive) t.set(deadlineNs);
                } finally {
                    if (i) g.callbackExit();
                }
            }
            @Override public void stop() {
                boolean i = g.callbackEnter();
                try {
                    t.stop();
                } finally {
                    if (i) g.callbackExit();
                }
            }
            @Override public boolean isActive() { return t.isActive(); }
            @Override public long deadline() { return t.deadline(); }
        };
    }

    @Override
    public void printk(String line) {
        machine.printk(line);
    }

    /** Stops every timer of the instance; no callback of it runs after this. */
    void kill() {
        alive = false;
        for (HvTimer t : timers) t.stop();
        timers.clear();
    }
}
