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
}
