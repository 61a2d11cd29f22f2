package org.hvkit.conformance;

import org.hvkit.api.sched.SchedulerProvider;
import org.hvkit.sched.credit2.internal.Credit2Provider;

/** The JUnit entry point as a plugin author uses it, here for credit2 with three seeds. */
class Credit2JUnitEntryPointTest extends SchedulerConformanceTest {
    @Override
    protected SchedulerProvider provider() {
        return new Credit2Provider();
    }

    @Override
    protected ConformanceKit configure(ConformanceKit kit) {
        return XenClaims.forCredit2(kit.seeds(11, 12, 13));
    }
}
