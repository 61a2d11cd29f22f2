package org.hvkit.itest.schedulers.internal;

import org.hvkit.api.sched.Decision;
import org.hvkit.api.sched.SchedVcpu;
import org.hvkit.api.sched.SchedulerContext;
import org.hvkit.api.sched.SchedulerProvider;
import org.osgi.service.component.annotations.Component;

/** Goes wrong in do_schedule after 200 decisions: ticklestorm. */
@Component(service = SchedulerProvider.class, property = SchedulerProvider.OPT_NAME_PROPERTY + "=ticklestorm")
public final class TickleStormProvider extends Faulty {
    public TickleStormProvider() {
        super("ticklestorm", 913);
    }

    @Override
    Decision misbehave(Bad rr, SchedulerContext ctx, int cpu, long now, SchedVcpu current) {
        for (int c = 0; c < ctx.topology().nrCpus(); c++) ctx.tickle(c);
        return rr.good(cpu, now, current);
    }
}
