package org.hvkit.examples.sedf;

import java.util.Map;
import org.hvkit.api.sched.Scheduler;
import org.hvkit.api.sched.SchedulerContext;
import org.hvkit.api.sched.SchedulerProvider;
import org.osgi.service.component.annotations.Component;

/**
 * Xen 4.2's Simple EDF scheduler ({@code sched=sedf}) as a plugin. Domain parameters, as
 * {@code xc_sedf_domain_get} reports them: {@code period}, {@code slice}, {@code latency} (ns),
 * {@code extratime} (0/1) and {@code weight}. A new domain is best effort: extra time only. A
 * weight given alone (xl.cfg's {@code weight=}) makes it best effort with that extra weight, as
 * libxl 4.2 arranges it.
 */
@Component(service = SchedulerProvider.class, property = SchedulerProvider.OPT_NAME_PROPERTY + "=sedf")
public final class SedfProvider implements SchedulerProvider {
    @Override
    public String name() {
        return "Simple EDF Scheduler";
    }

    @Override
    public String optName() {
        return "sedf";
    }

    @Override
    public int schedulerId() {
        return 4; // XEN_SCHEDULER_SEDF: this is Xen's own scheduler, with Xen's id
    }

    @Override
    public Map<String, Long> defaultPoolParams() {
        return Map.of(); // sedf has no per-pool parameters
    }

    @Override
    public Map<String, Long> defaultDomainParams() {
        return SedfParams.BEST_EFFORT.asMap();
    }

    @Override
    public Scheduler create(SchedulerContext ctx, Map<String, Long> poolParams) {
        return new SedfScheduler(ctx);
    }
}
