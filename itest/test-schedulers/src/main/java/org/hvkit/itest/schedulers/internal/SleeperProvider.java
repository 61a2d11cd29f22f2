package org.hvkit.itest.schedulers.internal;

import org.hvkit.api.sched.Decision;
import org.hvkit.api.sched.SchedVcpu;
import org.hvkit.api.sched.SchedulerContext;
import org.hvkit.api.sched.SchedulerProvider;
import org.osgi.service.component.annotations.Component;

/** Goes wrong in do_schedule after 200 decisions: sleeper. */
@Component(service = SchedulerProvider.class, property = SchedulerProvider.OPT_NAME_PROPERTY + "=sleeper")
public final class SleeperProvider extends Faulty {
    public SleeperProvider() {
        super("sleeper", 911);
    }

    @Override
    Decision misbehave(Bad rr, SchedulerContext ctx, int cpu, long now, SchedVcpu current) {
        try {
            Thread.sleep(8000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return rr.good(cpu, now, current);
    }
}
