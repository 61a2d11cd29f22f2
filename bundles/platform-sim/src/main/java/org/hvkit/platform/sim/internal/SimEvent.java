package org.hvkit.platform.sim.internal;

/** Something that happens at a virtual time. Reused: an event is armed, fires, and can be armed again. */
abstract class SimEvent {
    long time;
    long seq;
    int heapIndex = -1;

    /** Runs in machine context at virtual time {@code now}. */
    abstract void fire(long now);

    boolean isScheduled() {
        return heapIndex >= 0;
    }
}
