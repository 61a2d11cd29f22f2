package org.hvkit.api.timer;

import org.osgi.annotation.versioning.ProviderType;

/** A one-shot timer on one pCPU; its callback runs in machine context (see {@link TimerService}). */
@ProviderType
public interface HvTimer {
    /** Arms the timer for the absolute time {@code deadlineNs}, replacing any earlier deadline. */
    void set(long deadlineNs);

    /** Disarms the timer; a no-op when it is not armed. */
    void stop();

    boolean isActive();

    /** The armed deadline, or -1. */
    long deadline();
}
