package org.hvkit.api.platform;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The core's end of one vCPU, through which the platform reports what the guest did. Every method
 * is called in machine context.
 */
@ProviderType
public interface VcpuPort {
    int domainId();

    int vcpuId();

    /** The running vCPU waits for an event (HLT, or a block phase of a workload). */
    void block();

    /** An event arrived for the blocked vCPU (its timer, an interrupt). No-op when it is not blocked. */
    void wake();

    /** The running vCPU yields its pCPU. */
    void yield();

    /**
     * Whether the vCPU is online (xl vcpu-set), for guest ABIs that tell the guest.
     *
     * @since 1.2
     */
    default boolean online() {
        return true;
    }
}
