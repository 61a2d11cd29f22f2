package org.hvkit.api.timer;

import java.util.function.LongConsumer;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * The hypervisor's clock and timers, provided by the platform. On the simulated machine time is
 * virtual and timers are discrete events; on KVM time is the monotonic clock.
 *
 * <p>Callbacks run in <em>machine context</em>: serialised with the schedule path and with every
 * other timer callback, so they may call into the core directly. Timers with equal deadlines fire
 * in the order they were armed, which keeps simulations reproducible.
 */
@ConsumerType
public interface TimerService {
    /** Current time in nanoseconds; starts near 0 when the platform starts. */
    long now();

    /** A new, disarmed timer on {@code cpu}; {@code callback} receives the time it fired. */
    HvTimer createTimer(int cpu, LongConsumer callback);
}
