package org.hvkit.sched.credit1.internal;

import java.util.Map;
import org.hvkit.api.sched.Scheduler;
import org.hvkit.api.sched.SchedulerContext;
import org.hvkit.api.sched.SchedulerProvider;
import org.osgi.service.component.annotations.Component;

/** Xen's credit scheduler, the default of Xen 4.1 and 4.2. */
@Component(service = SchedulerProvider.class, property = SchedulerProvider.OPT_NAME_PROPERTY + "=credit")
public final class Credit1Provider implements SchedulerProvider {
    @Override
    public String name() {
        return "SMP Credit Scheduler";
    }

    @Override
    public String optName() {
        return "credit";
    }

    @Override
    public int schedulerId() {
        return 5;
    }

    @Override
    public Map<String, Long> defaultPoolParams() {
        return Map.of("tslice_ms", 30L, "ratelimit_us", 1000L);
    }

    @Override
    public Map<String, Long> defaultDomainParams() {
        return Map.of("weight", 256L, "cap", 0L);
    }

    @Override
    public Scheduler create(SchedulerContext ctx, Map<String, Long> poolParams) {
        return new Credit1Scheduler(ctx, poolParams);
    }
}
