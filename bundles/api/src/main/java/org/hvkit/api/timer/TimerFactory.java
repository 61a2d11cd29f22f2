package org.hvkit.api.timer;

import java.util.concurrent.locks.ReentrantLock;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Makes the hypervisor's timers; registered by the timer bundle, used by platforms. A platform
 * asks for the kind of clock it runs on and hands the result to the core as its {@link TimerService}.
 */
@ProviderType
public interface TimerFactory {
    /**
     * Timers on the monotonic clock (CLOCK_MONOTONIC on Linux), with {@link TimerService#now} 0 at
     * this call. One thread fires them, holding {@code machineLock} while a callback runs, so
     * callbacks run in machine context. Nothing fires before {@link MonotonicTimers#start}.
     *
     * @param name names the firing thread, for thread dumps
     */
    MonotonicTimers monotonic(String name, ReentrantLock machineLock);

    /**
     * Timers in virtual time for a discrete-event simulation: time stands still until the caller
     * fires the next due timer or advances the clock. Not thread-safe; the caller serialises.
     */
    VirtualTimers virtual();
}
