package ${package};

import java.util.Map;
import org.hvkit.api.sched.Scheduler;
import org.hvkit.api.sched.SchedulerContext;
import org.hvkit.api.sched.SchedulerProvider;
import org.osgi.service.component.annotations.Component;

/**
 * The ${pluginName} scheduler as a service: the core makes one {@link ${className}Scheduler} per CPU
 * pool that asks for it ({@code xl cpupool-create name=p sched=${pluginName} cpus=...}). The
 * service property lets the core find it by name.
 */
@Component(service = SchedulerProvider.class, property = SchedulerProvider.OPT_NAME_PROPERTY + "=${pluginName}")
public final class ${className}Provider implements SchedulerProvider {
    @Override
    public String name() {
        return "${className} round-robin scheduler";
    }

    @Override
    public String optName() {
        return "${pluginName}";
    }

    @Override
    public int schedulerId() {
        return 101; // Xen's ids stop at 7; a third party picks a number above 100
    }

    @Override
    public Map<String, Long> defaultPoolParams() {
        return Map.of("tslice_ms", 10L);
    }

    @Override
    public Map<String, Long> defaultDomainParams() {
        return Map.of(); // this scheduler has no per-domain parameters
    }

    @Override
    public Scheduler create(SchedulerContext ctx, Map<String, Long> poolParams) {
        return new ${className}Scheduler(ctx, poolParams);
    }
}
