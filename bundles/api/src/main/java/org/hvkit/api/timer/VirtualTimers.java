package org.hvkit.api.timer;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Timers in virtual time: the event queue of a discrete-event simulation. Timers with equal
 * deadlines fire in arming order, so the same inputs give the same sequence of callbacks.
 * Deadlines in the past are clamped to now.
 */
@ProviderType
public interface VirtualTimers extends TimerService {
    /** The earliest armed deadline, or {@link Long#MAX_VALUE} when nothing is armed. */
    long nextDeadline();

    /**
     * Fires the earliest timer if its deadline is at or before {@code limit}, first moving the
     * clock to that deadline; false when none is due.
     */
    boolean fireNext(long limit);

    /** Moves the clock forward to {@code t} (never back) without firing anything. */
    void advanceTo(long t);

    /** How many timers fired. */
    long fired();
}
