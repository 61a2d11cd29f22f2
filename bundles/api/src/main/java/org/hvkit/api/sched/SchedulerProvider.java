package org.hvkit.api.sched;

import java.util.Map;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * A scheduler plugin, registered as an OSGi service. The core creates one {@link Scheduler} per
 * CPU pool that uses it. The service property {@link #OPT_NAME_PROPERTY} should carry
 * {@link #optName()} so that the core can select providers by filter.
 */
@ConsumerType
public interface SchedulerProvider {
    /** Service property naming the scheduler, as in Xen's {@code sched=} option. */
    String OPT_NAME_PROPERTY = "hvkit.scheduler";

    /** Human name, e.g. {@code SMP Credit Scheduler}. */
    String name();

    /** Short name used by {@code sched=} and {@code xl cpupool-list}, e.g. {@code credit}. */
    String optName();

    /** Xen's scheduler id (credit 5, credit2 6); a third party picks a number above 100. */
    int schedulerId();

    /** Default per-pool parameters, e.g. {@code tslice_ms=30, ratelimit_us=1000} for credit. */
    Map<String, Long> defaultPoolParams();

    /** Default per-domain parameters, e.g. {@code weight=256, cap=0}. */
    Map<String, Long> defaultDomainParams();

    /**
     * Creates an instance for one pool. The instance receives its pCPUs, domains and vCPUs through
     * the hooks afterwards.
     *
     * @param ctx        the core's services for this instance
     * @param poolParams the pool's parameters, validated as by {@link Scheduler#setPoolParams}
     * @throws IllegalArgumentException when a pool parameter is out of range
     */
    Scheduler create(SchedulerContext ctx, Map<String, Long> poolParams);
}
