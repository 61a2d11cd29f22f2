package org.hvkit.api.sched;

/**
 * What a pCPU runs next.
 *
 * @param vcpu     the vCPU to run, or null to run idle
 * @param sliceNs  how long before the core calls {@link Scheduler#doSchedule} again on this pCPU,
 *                 in ns; negative for no slice timer (typical for idle)
 * @param migrated whether the scheduler took the vCPU from another pCPU's runqueue
 */
public record Decision(SchedVcpu vcpu, long sliceNs, boolean migrated) {
    /** Run idle with no slice timer. */
    public static final Decision IDLE = new Decision(null, -1, false);

    public static Decision run(SchedVcpu v, long sliceNs) {
        return new Decision(v, sliceNs, false);
    }

    public boolean isIdle() {
        return vcpu == null;
    }
}
