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
        // 512 MiB as fast as the heap gives it (no pause between chunks: on a loaded host a slow
        // hoarder would reach the wall-clock bound first), then hold it until evicted
        try {
            for (int i = 0; i < 512; i++) {
                synchronized (HOARD) {
                    HOARD.add(new byte[1 << 20]);
                }
            }
            spinFor(2_000_000_000L);
        } finally {
            synchronized (HOARD) {
                HOARD.clear();
            }
        }
        return rr.good(cpu, now, current);
    }
}
