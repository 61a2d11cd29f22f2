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

    // ------------------------------------------------------------------ live migration (xl migrate)

    /**
     * How many 4 KiB pages of guest memory a live migration copies (pre-copy rounds, then the
     * pages still dirty at stop-and-copy); 0 when the guest has no memory contents to copy (the
     * simulated machine), so {@link #saveState} alone carries it.
     *
     * @since 1.3
     */
    default long migrationPages() {
        return 0;
    }

    /**
     * Starts (true) or stops logging which pages the guest writes. Any thread; the guest may run.
     *
     * @since 1.3
     */
    default void logDirty(boolean on) {
        throw new UnsupportedOperationException("this platform cannot log dirty pages");
    }

    /**
     * Adds to {@code into} the pages written since logging started or since the last call, and
     * clears them in the log. Any thread; the guest may run (pages written after the call are in
     * the next one).
     *
     * @since 1.3
     */
    default void takeDirty(java.util.BitSet into) {
        throw new UnsupportedOperationException("this platform cannot log dirty pages");
    }

    /**
     * Copies page {@code page} into {@code dst} (4096 bytes); false when the guest's memory is gone
     * (destroyed meanwhile). Any thread; the guest may run.
     *
     * @since 1.3
     */
    default boolean readPage(long page, byte[] dst) {
        throw new UnsupportedOperationException("this platform has no guest memory to copy");
    }

    /**
     * Writes {@code src} (4096 bytes) into page {@code page} of this paused, incoming guest; false
     * when its memory is gone.
     *
     * @since 1.3
     */
    default boolean writePage(long page, byte[] src) {
        throw new UnsupportedOperationException("this platform has no guest memory to copy");
    }

    /**
     * This freshly created, paused guest is about to receive a migrating guest's memory and state:
     * whatever building it wrote into its memory goes (pages not sent are zero at the source).
     *
     * @since 1.3
     */
    default void beginIncoming() {
    }

    /**
     * {@link #save} without the memory contents {@link #migrationPages} copies: the vCPU and device
     * state, for a migration's stop-and-copy. Machine context; the domain is paused.
     *
     * @since 1.3
     */
    default void saveState(DataOutput out, long now) throws IOException {
        save(out, now);
    }

    /**
     * Reads what {@link #saveState} wrote into this incoming guest, whose memory has arrived.
     *
     * @since 1.3
     */
    default void restoreState(DataInput in, long now) throws IOException {
        restore(in, now);
    }
}
