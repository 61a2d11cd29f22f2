package org.hvkit.api.sched;

import org.osgi.annotation.versioning.ProviderType;

/**
 * A one-shot timer of a scheduler instance, bound to one pCPU (ticks, accounting). Its callback
 * runs serialised with the instance's hooks. Re-arm it from the callback for periodic work.
 */
@ProviderType
public interface SchedTimer {
    /** Fires at {@code deadlineNs} (absolute); replaces an earlier deadline. */
    void set(long deadlineNs);

    /** Cancels a pending expiry. */
    void stop();

    boolean isActive();

    /** The pending deadline, or -1. */
    long deadline();
}
