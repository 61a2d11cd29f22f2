package org.hvkit.api.platform;

import org.osgi.annotation.versioning.ConsumerType;

/** The platform side of a domain. */
@ConsumerType
public interface Guest {
    /** The execution side of vCPU {@code i}, handed back to the platform in {@link Dispatch}. */
    GuestVcpu vcpu(int i);

    /**
     * Releases everything the guest holds (threads, file descriptors, mappings). Machine context;
     * no vCPU of it is running. Idempotent.
     */
    void destroy();
}
