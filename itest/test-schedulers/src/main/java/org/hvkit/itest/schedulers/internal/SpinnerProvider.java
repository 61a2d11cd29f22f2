package org.hvkit.itest.schedulers.internal;

import org.hvkit.api.sched.Decision;
import org.hvkit.api.sched.SchedVcpu;
import org.hvkit.api.sched.SchedulerContext;
import org.hvkit.api.sched.SchedulerProvider;
import org.osgi.service.component.annotations.Component;

/** Goes wrong in do_schedule after 200 decisions: spinner. */
@Component(service = SchedulerProvider.class, property = SchedulerProvider.OPT_NAME_PROPERTY + "=spinner")
public final class SpinnerProvider extends Faulty {
    public SpinnerProvider() {
        super("spinner", 910);
    }

    @Override
    Decision misbehave(Bad rr, SchedulerContext ctx, int cpu, long now, SchedVcpu current) {
        spinFor(8_000_000_000L);
        return rr.good(cpu, now, current);
    }
}
