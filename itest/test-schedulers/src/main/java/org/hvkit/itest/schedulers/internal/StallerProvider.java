package org.hvkit.itest.schedulers.internal;

import java.util.Map;
import org.hvkit.api.sched.SchedVcpu;
import org.hvkit.api.sched.Scheduler;
import org.hvkit.api.sched.SchedulerContext;
import org.hvkit.api.sched.SchedulerProvider;
import org.osgi.service.component.annotations.Component;

/** A scheduler with a bug: the vCPUs of a domain named "victim" are never queued, so they wait forever. */
@Component(service = SchedulerProvider.class, property = SchedulerProvider.OPT_NAME_PROPERTY + "=staller")
public final class StallerProvider implements SchedulerProvider {
    @Override public String name() { return "test scheduler that stalls a domain"; }
    @Override public String optName() { return "staller"; }
    @Override public int schedulerId() { return 902; }
    @Override public Map<String, Long> defaultPoolParams() { return Map.of(); }
    @Override public Map<String, Long> defaultDomainParams() { return Map.of("weight", 256L, "cap", 0L); }

    @Override
    public Scheduler create(SchedulerContext ctx, Map<String, Long> poolParams) {
        return new RoundRobin(ctx) {
            @Override
            public void wake(SchedVcpu v) {
                if (!v.domain().name().equals("victim")) super.wake(v);
            }
        };
    }
}
