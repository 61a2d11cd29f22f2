package org.hvkit.api.memory;

import org.osgi.annotation.versioning.ConsumerType;

/** The host's memory, from which domains' memory is allocated. Provided by the platform. */
@ConsumerType
public interface HostMemory {
    long totalBytes();

    long freeBytes();

    /**
     * Takes {@code bytes} of memory for domain {@code domid}.
     *
     * @throws OutOfHostMemoryException when the host has less free memory than asked for
     */
    GuestMemory allocate(int domid, long bytes);
}
