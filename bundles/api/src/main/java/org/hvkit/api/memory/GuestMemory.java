package org.hvkit.api.memory;

import org.hvkit.api.p2m.P2m;
import org.osgi.annotation.versioning.ConsumerType;

/** The memory of one domain: guest-physical address 0 up to {@link #sizeBytes()}. */
@ConsumerType
public interface GuestMemory extends AutoCloseable {
    int domainId();

    long sizeBytes();

    /**
     * The domain's p2m, kept by the platform that allocated the memory (the orders it obtained, the
     * access it enforces); null when the platform keeps none.
     *
     * @since 1.1
     */
    default P2m p2m() {
        return null;
    }

    /** Returns the memory to the host; idempotent. */
    @Override
    void close();
}
