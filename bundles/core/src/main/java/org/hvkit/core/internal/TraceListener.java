package org.hvkit.core.internal;

/**
 * Receives every schedule-path event, in machine context and in order. Used by the simulation
 * test kit and the scenario runner; null (the default) costs nothing.
 */
public interface TraceListener {
    enum Kind { WAKE, BLOCK, RUN, DESCHEDULE, YIELD, MIGRATE }

    /**
     * @param timeNs when
     * @param kind   what
     * @param cpu    the pCPU concerned (RUN, DESCHEDULE, MIGRATE: the new one), or the vCPU's processor
     * @param domid  the vCPU's domain
     * @param vcpu   the vCPU's number
     */
    void event(long timeNs, Kind kind, int cpu, int domid, int vcpu);
}
