package org.hvkit.testkit;

/**
 * One schedule-path event of a simulation.
 *
 * @param timeNs virtual time
 * @param kind   WAKE, BLOCK, RUN, DESCHEDULE, YIELD or MIGRATE
 * @param cpu    the pCPU concerned
 * @param domid  the vCPU's domain
 * @param vcpu   the vCPU's number
 */
public record TraceEvent(long timeNs, Kind kind, int cpu, int domid, int vcpu) {
    public enum Kind { WAKE, BLOCK, RUN, DESCHEDULE, YIELD, MIGRATE }
}
