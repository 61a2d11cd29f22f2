package org.hvkit.itest.schedulers.internal;

import org.hvkit.api.sched.Decision;
import org.hvkit.api.sched.SchedVcpu;
import org.hvkit.api.sched.SchedulerContext;
import org.hvkit.api.sched.SchedulerProvider;
import org.osgi.service.component.annotations.Component;

/** Goes wrong in do_schedule after 200 decisions: tinyslices. */
@Component(service = SchedulerProvider.class, property = SchedulerProvider.OPT_NAME_PROPERTY + "=tinyslices")
public final class TinySlicesProvider extends Faulty {
    public TinySlicesProvider() {
        super("tinyslices", 912);
    }

    @Override
    Decision misbehave(Bad rr, SchedulerContext ctx, int cpu, long now, SchedVcpu current) {
        Decision d = rr.good(cpu, now, current);
        return d.vcpu() == null ? d : Decision.run(d.vcpu(), 1);
    }
}
