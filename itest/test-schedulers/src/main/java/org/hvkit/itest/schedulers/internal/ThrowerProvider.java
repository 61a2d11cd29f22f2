package org.hvkit.itest.schedulers.internal;

import java.util.Map;
import org.hvkit.api.sched.Decision;
import org.hvkit.api.sched.SchedVcpu;
import org.hvkit.api.sched.Scheduler;
import org.hvkit.api.sched.SchedulerContext;
import org.hvkit.api.sched.SchedulerProvider;
import org.osgi.service.component.annotations.Component;

/** A scheduler with a bug: do_schedule throws after 200 decisions. */
@Component(service = SchedulerProvider.class, property = SchedulerProvider.OPT_NAME_PROPERTY + "=thrower")
public final class ThrowerProvider implements SchedulerProvider {
    @Override public String name() { return "test scheduler that throws"; }
    @Override public String optName() { return "thrower"; }
    @Override public int schedulerId() { return 901; }
    @Override public Map<String, Long> defaultPoolParams() { return Map.of(); }
    @Override public Map<String, Long> defaultDomainParams() { return Map.of("weight", 256L, "cap", 0L); }

    @Override
    public Scheduler create(SchedulerContext ctx, Map<String, Long> poolParams) {
        return new RoundRobin(ctx) {
            private int decisions;

            @Override
            public Decision doSchedule(int cpu, long now, SchedVcpu current) {
                if (++decisions > 200) throw new IllegalStateException("thrower: deliberate failure after 200 decisions");
                return super.doSchedule(cpu, now, current);
            }
        };
    }
}
