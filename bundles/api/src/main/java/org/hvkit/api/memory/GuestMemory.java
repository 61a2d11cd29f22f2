package org.hvkit.api.memory;

import org.osgi.annotation.versioning.ConsumerType;

/** The memory of one domain: guest-physical address 0 up to {@link #sizeBytes()}. */
@ConsumerType
public interface GuestMemory extends AutoCloseable {
    int domainId();

    long sizeBytes();

    /**
     * How many of its bytes each NUMA node holds, by node number. The default is all on node 0.
     *
     * @since 1.1
     */
    default long[] bytesPerNode() {
        return new long[] {sizeBytes()};
    }

    /** Returns the memory to the host; idempotent. */
    @Override
    void close();
}
