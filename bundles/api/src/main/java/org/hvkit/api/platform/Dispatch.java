package org.hvkit.api.platform;

/**
 * The core's answer to {@link MachineHost#schedule}.
 *
 * @param vcpu  what to run, or null for idle
 * @param until absolute time (ns) at which the platform calls {@link MachineHost#schedule} again,
 *              or {@link Long#MAX_VALUE} for no slice end
 */
public record Dispatch(GuestVcpu vcpu, long until) {
    public static final Dispatch IDLE = new Dispatch(null, Long.MAX_VALUE);
}
