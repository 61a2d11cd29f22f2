package org.hvkit.itest.schedulers.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.hvkit.api.sched.Decision;
import org.hvkit.api.sched.SchedVcpu;
import org.hvkit.api.sched.Scheduler;
import org.hvkit.api.sched.SchedulerContext;
import org.hvkit.api.sched.SchedulerProvider;

/**
 * Schedulers that go wrong inside do_schedule after 200 good decisions, one way each, as an attacker
 * would write them. The spinner and sleeper give up after a few seconds so that an abandoned
 * thread does not burn a core for the rest of the test run.
 */
abstract class Faulty implements SchedulerProvider {
    private final String opt;
    private final int id;

    Faulty(String opt, int id) {
        this.opt = opt;
        this.id = id;
    }

    @Override public String name() { return "test scheduler: " + opt; }
    @Override public String optName() { return opt; }
    @Override public int schedulerId() { return id; }
    @Override public Map<String, Long> defaultPoolParams() { return Map.of(); }
    @Override public Map<String, Long> defaultDomainParams() { return Map.of("weight", 256L, "cap", 0L); }

    /** What the scheduler does instead of a good decision. */
    abstract Decision misbehave(Bad rr, SchedulerContext ctx, int cpu, long now, SchedVcpu current);

    @Override
    public Scheduler create(SchedulerContext ctx, Map<String, Long> poolParams) {
        return new Bad(ctx);
    }

    final class Bad extends RoundRobin {
        private int decisions;

        Bad(SchedulerContext ctx) {
            super(ctx);
        }

        @Override
        public Decision doSchedule(int cpu, long now, SchedVcpu current) {
            if (++decisions <= 200) return super.doSchedule(cpu, now, current);
            return misbehave(this, ctx, cpu, now, current);
        }

        /** The round robin's own decision. */
        Decision good(int cpu, long now, SchedVcpu current) {
            return super.doSchedule(cpu, now, current);
        }
    }

    static void spinFor(long ns) {
        long end = System.nanoTime() + ns;
        while (System.nanoTime() < end) Thread.onSpinWait();
    }

    /** Keeps what it allocates, as a leak would. */
    static final List<byte[]> HOARD = new ArrayList<>();
}
