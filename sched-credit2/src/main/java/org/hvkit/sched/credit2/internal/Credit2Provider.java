package org.hvkit.sched.credit2.internal;

import java.util.Map;
import org.hvkit.api.sched.Scheduler;
import org.hvkit.api.sched.SchedulerContext;
import org.hvkit.api.sched.SchedulerProvider;
import org.osgi.service.component.annotations.Component;

/**
 * Xen's credit2 scheduler. The runqueue arrangement (Xen's {@code credit2_runqueue}) is the
 * framework property {@code hvkit.credit2.runqueue} = cpu|core|socket|node|all, socket by default.
 */
@Component(service = SchedulerProvider.class, property = SchedulerProvider.OPT_NAME_PROPERTY + "=credit2")
public final class Credit2Provider implements SchedulerProvider {
    private final Credit2Scheduler.Arrangement arrangement;

    public Credit2Provider() {
        this(Credit2Scheduler.Arrangement.valueOf(System.getProperty("hvkit.credit2.runqueue", "socket").toUpperCase(java.util.Locale.ROOT)));
    }

    public Credit2Provider(Credit2Scheduler.Arrangement arrangement) {
        this.arrangement = arrangement;
    }

    @Override
    public String name() {
        return "SMP Credit Scheduler rev2";
    }

    @Override
    public String optName() {
        return "credit2";
    }

    @Override
    public int schedulerId() {
        return 6;
    }

    @Override
    public Map<String, Long> defaultPoolParams() {
        return Map.of("ratelimit_us", 1000L);
    }

    @Override
    public Map<String, Long> defaultDomainParams() {
        return Map.of("weight", 256L, "cap", 0L);
    }

    @Override
    public Scheduler create(SchedulerContext ctx, Map<String, Long> poolParams) {
        return new Credit2Scheduler(ctx, poolParams, arrangement);
    }
}
