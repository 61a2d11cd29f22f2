package org.hvkit.itest.schedulers.internal;

import org.hvkit.api.sched.Decision;
import org.hvkit.api.sched.SchedVcpu;
import org.hvkit.api.sched.SchedulerContext;
import org.hvkit.api.sched.SchedulerProvider;
import org.osgi.service.component.annotations.Component;

/** Goes wrong in do_schedule after 200 decisions: hoarder. */
@Component(service = SchedulerProvider.class, property = SchedulerProvider.OPT_NAME_PROPERTY + "=hoarder")
public final class HoarderProvider extends Faulty {
    public HoarderProvider() {
        super("hoarder", 914);
    }

    @Override
    Decision misbehave(Bad rr, SchedulerContext ctx, int cpu, long now, SchedVcpu current) {
        try {
            for (int i = 0; i < 64; i++) {
                synchronized (HOARD) {
                    HOARD.add(new byte[16 << 20]);
                }
                spinFor(1_000_000L);
            }
        } finally {
            synchronized (HOARD) {
                HOARD.clear();
            }
        }
        return rr.good(cpu, now, current);
    }
}
