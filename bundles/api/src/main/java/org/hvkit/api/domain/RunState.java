package org.hvkit.api.domain;

/** Xen's vCPU run states (VCPU_RUNSTATE_*); time is accounted per state. */
public enum RunState {
    /** On a pCPU now. */
    RUNNING,
    /** Wants a pCPU and waits for one. */
    RUNNABLE,
    /** Waits for an event (HLT, a timer, a block phase of a simulated workload), or paused. */
    BLOCKED,
    /** Not online (beyond the domain's current vCPU count), or the domain is dead. */
    OFFLINE
}
