package ${package};

import org.hvkit.api.sched.SchedulerProvider;
import org.hvkit.conformance.ConformanceKit;
import org.hvkit.conformance.Property;
import org.hvkit.conformance.SchedulerConformanceTest;

/**
 * hvkit's conformance kit run against this scheduler on the real core and simulated machine: one
 * dynamic test per property. A property this policy does not have by design is declared, and the
 * kit still checks and prints it; drop a declaration as soon as the property holds.
 */
class ${className}ConformanceTest extends SchedulerConformanceTest {
    @Override
    protected SchedulerProvider provider() {
        return new ${className}Provider();
    }

    @Override
    protected ConformanceKit configure(ConformanceKit kit) {
        return kit.notClaimed(Property.WEIGHTS, "round robin has no weights")
                .notClaimed(Property.WEIGHTS_WIDE, "round robin has no weights")
                .notClaimed(Property.WEIGHTS_PINNED, "round robin has no weights")
                .notClaimed(Property.CAPS, "round robin has no caps");
    }
}
