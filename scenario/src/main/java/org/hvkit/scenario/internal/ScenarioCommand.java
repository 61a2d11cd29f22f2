package org.hvkit.scenario.internal;

import java.nio.file.Path;
import org.apache.felix.service.command.Descriptor;
import org.apache.felix.service.command.annotations.GogoCommand;
import org.hvkit.api.sched.SchedulerProvider;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;

/**
 * {@code hvkit:scenario}: the scenario runner inside the framework. Each run builds a private
 * simulated machine (this bundle carries its own copies of the core, the simulated machine and
 * the test kit — they export nothing) and uses the scheduler providers of the service registry.
 * It never touches the framework's own hypervisor.
 */
@Component(service = ScenarioCommand.class, immediate = true)
@GogoCommand(scope = "hvkit", function = "scenario")
public final class ScenarioCommand {
    private final SchedulerRegistry registry = new SchedulerRegistry(false);

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addProvider(SchedulerProvider p) {
        registry.add(p);
    }

    void removeProvider(SchedulerProvider p) {
        registry.remove(p);
    }

    @Descriptor("run scheduling scenarios on a private simulated machine; 'scenario --help' for options")
    public int scenario(@Descriptor("scenario files or shipped names, and options") String... args) {
        Path dir = Path.of(System.getProperty("hvkit.scenarios", "examples/scenarios"));
        return Cli.run(args, registry, dir, System.out, System.err);
    }
}
