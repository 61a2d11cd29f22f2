package org.hvkit.api.platform;

import org.osgi.annotation.versioning.ProviderType;

/** The core as a platform sees it: the schedule path. Implemented by the core; machine context only. */
@ProviderType
public interface MachineHost {
    /**
     * Decides what pCPU {@code cpu} runs next. The vCPU that ran there before stops running now
     * (its time is accounted up to now).
     */
    Dispatch schedule(int cpu);

    /** The vCPU running on {@code cpu} now, or null. */
    GuestVcpu current(int cpu);

    /**
     * A line about the machine itself for the hypervisor's console ring ({@code xl dmesg}), e.g.
     * an error a machine thread caught and survived. Any thread, not only machine context.
     *
     * @since 1.3
     */
    default void log(String line) {
    }
}
