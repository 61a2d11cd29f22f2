package org.hvkit.examples.sedf;

import org.hvkit.api.sched.SchedulerProvider;
import org.hvkit.conformance.ConformanceKit;
import org.hvkit.conformance.Property;
import org.hvkit.conformance.SchedulerConformanceTest;

/**
 * SEDF claims bounded waits, hard affinity, weights on one pCPU, churn and determinism.
 * hvkit's conformance kit run against this scheduler on the real core and simulated machine: one
 * dynamic test per property. A property this policy does not have by design is declared, and the
 * kit still checks and prints it; drop a declaration as soon as the property holds.
 */
class SedfConformanceTest extends SchedulerConformanceTest {
    @Override
    protected SchedulerProvider provider() {
        return new SedfProvider();
    }

    @Override
    protected ConformanceKit configure(ConformanceKit kit) {
        return kit.notClaimed(Property.WORK_CONSERVING, "no load balancing, as in Xen 4.2: a vCPU stays on the pCPU pick_cpu gave it, so another pCPU may idle meanwhile")
                .notClaimed(Property.WEIGHTS_WIDE, "weights become slices of the 100 ms period among the vCPUs of one pCPU; without balancing a wide pool is not shared by weight")
                .notClaimed(Property.WEIGHTS_PINNED, "the same: the vCPUs pinned to a set are placed by vCPU number, not spread by weight")
                .notClaimed(Property.CAPS, "sedf has no cap parameter (it has reservations: period and slice), so a cap is not applied");
    }
}
