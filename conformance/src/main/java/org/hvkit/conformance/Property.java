package org.hvkit.conformance;

/** The properties the kit checks. */
public enum Property {
    /** No runnable vCPU of an uncapped domain waits longer than the wait bound (scaled by its competitors). */
    BOUNDED_WAIT("no runnable vCPU waits past a bound"),
    /** Every RUN of a vCPU is on a pCPU of its hard affinity, and the core never rejects a decision for it. */
    HARD_AFFINITY("hard affinity is never violated"),
    /** No pCPU idles while a runnable, uncapped vCPU allowed there waits, for longer than the work-conserving bound. */
    WORK_CONSERVING("work conserving"),
    /** CPU-bound domains saturating a pool of one pCPU get CPU time in proportion to their weights. */
    WEIGHTS("weights are honoured under saturation"),
    /**
     * More single-vCPU CPU-bound domains than pCPUs, saturating a pool of 2 to 8 pCPUs (one or
     * two sockets), get CPU time in proportion to their weights (water-filling: at most one pCPU
     * each). Neither of Xen's schedulers has this to 5 %: a vCPU runs a whole slice once picked,
     * so light domains get more than their share beside heavy ones that cannot use more than a
     * pCPU, and credit2 balances its runqueues by load, not by weight.
     */
    WEIGHTS_WIDE("weights are honoured under saturation of a pool of several pCPUs"),
    /**
     * CPU-bound domains all pinned to the same few pCPUs of a larger pool, which they saturate,
     * get CPU time in proportion to their weights. Xen's credit1 does not have this property (it
     * hands out credit per pool, so pinned domains all end up with more credit than they can burn
     * and share their pCPUs round robin); a scheduler may declare it {@link ConformanceKit#notClaimed not claimed}.
     */
    WEIGHTS_PINNED("weights are honoured among domains pinned to a subset of the pool"),
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
