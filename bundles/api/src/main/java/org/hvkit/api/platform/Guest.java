package org.hvkit.api.platform;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;

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

    /**
     * The toolstack set a memory target (xl mem-set): a guest with a balloon moves toward it and
     * says how much it holds now, in bytes; one without keeps what it has (as a Xen guest without a
     * balloon driver). Machine context.
     *
     * @since 1.2
     */
    default long memoryTarget(long targetBytes, long holdsBytes) {
        return holdsBytes;
    }

    /**
     * Whether every vCPU of the paused guest has left the platform's hands (no exit half handled),
     * so that {@link #save} sees a consistent state. The core waits for it after pausing.
     *
     * @since 1.2
     */
    default boolean quiescent() {
        return true;
    }

    /**
     * Writes everything the guest needs to continue elsewhere (xl save): on KVM its memory and
     * every piece of vCPU and device state the guest ABI depends on; on the simulated machine its
     * workload and generator state. Machine context; the domain is paused and no vCPU runs.
     * Times are written relative to {@code now}.
     *
     * @throws UnsupportedOperationException when the platform cannot save guests
     * @since 1.2
     */
    default void save(DataOutput out, long now) throws IOException {
        throw new UnsupportedOperationException("this platform cannot save guests");
    }

    /**
     * Reads what {@link #save} wrote into this freshly created, paused guest of the same
     * configuration, so that it continues where the saved one stopped. Times are relative to
     * {@code now}. A failure (bad or short data) leaves a guest the core destroys.
     *
     * @throws IOException when the data is short or does not fit this guest
     * @since 1.2
     */
    default void restore(DataInput in, long now) throws IOException {
        throw new UnsupportedOperationException("this platform cannot restore guests");
    }
}
