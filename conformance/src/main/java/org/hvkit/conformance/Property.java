package org.hvkit.conformance;

/** The properties the kit checks. */
public enum Property {
    /** No runnable vCPU of an uncapped domain waits longer than the wait bound (scaled by its competitors). */
    BOUNDED_WAIT("no runnable vCPU waits past a bound"),
    /** Every RUN of a vCPU is on a pCPU of its hard affinity, and the core never rejects a decision for it. */
    HARD_AFFINITY("hard affinity is never violated"),
    /** No pCPU idles while a runnable, uncapped vCPU allowed there waits, for longer than the work-conserving bound. */
    WORK_CONSERVING("work conserving"),
    /** CPU-bound domains sharing saturated pCPUs get CPU time in proportion to their weights. */
    WEIGHTS("weights are honoured under saturation"),
    /** A capped CPU-bound domain gets its cap, when it could get more. */
    CAPS("caps are honoured"),
    /** Domains created, destroyed, paused, unpaused, re-pinned and re-weighted at any time lose nothing. */
    CHURN("vCPUs and domains inserted and removed at any time lose nothing"),
    /** The same seed and the same calls give the identical trace. */
    DETERMINISM("same seed, same trace");

    private final String title;

    Property(String title) {
        this.title = title;
    }

    public String title() {
        return title;
    }
}
