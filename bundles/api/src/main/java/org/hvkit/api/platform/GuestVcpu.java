package org.hvkit.api.platform;

import org.osgi.annotation.versioning.ConsumerType;

/** The execution side of one vCPU, owned by the platform. */
@ConsumerType
public interface GuestVcpu {
    /** Its port into the core. */
    VcpuPort port();

    /** Whether the vCPU's guest is ready to run when the core starts it (not waiting for an event). */
    boolean wantsToRun();
}
