package org.hvkit.api.timer;

import org.osgi.annotation.versioning.ProviderType;

/** Timers on the monotonic clock, fired in machine context by a thread of their own. */
@ProviderType
public interface MonotonicTimers extends TimerService, AutoCloseable {
    /** Starts the firing thread. */
    void start();

    /** Stops the firing thread, waiting for a callback in progress; armed timers never fire after. */
    @Override
    void close();

    /**
     * The firing thread {@code t} was abandoned inside a callback (it overran its bound in a
     * plugin); if it is this queue's, start another so the other timers go on firing. Machine context.
     *
     * @since 1.2
     */
    default void abandoned(Thread t) {
    }

    /** How many timers fired. */
    long fired();

    /** Mean time a timer fired after its deadline (ns), or 0 when none fired. */
    long meanLatenessNs();

    /** Longest time a timer fired after its deadline (ns). */
    long maxLatenessNs();
}
