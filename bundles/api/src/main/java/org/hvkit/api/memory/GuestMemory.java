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

    /**
     * A balloon moves: the domain now holds {@code bytes} (less gives memory back to the host,
     * more takes it again, on the nodes it already uses first). All or nothing.
     *
     * @throws OutOfHostMemoryException when the host cannot give that much more
     * @throws UnsupportedOperationException when this memory cannot change size
     * @since 1.1
     */
    default void resize(long bytes) {
        throw new UnsupportedOperationException("this platform's guest memory cannot change size");
    }

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
