package org.hvkit.api.platform;

import org.hvkit.api.domain.ShutdownReason;
import org.osgi.annotation.versioning.ProviderType;

/** Where a guest reports events of the whole domain. Machine context. */
@ProviderType
public interface GuestEvents {
    /** Bytes the guest wrote to its console. */
    void console(byte[] data, int off, int len);

    /**
     * The guest reported a value under {@code key} (its progress, a latency it measured): the
     * toolstack shows the statistics per key ({@code Hypervisor.guestReports}).
     */
    void report(int key, long value);

    /** A line about the domain from the platform (e.g. its CPUID setup), for {@code xl dmesg} and the log. */
    void log(String line);

    /** The guest shut itself down, or crashed ({@link ShutdownReason#CRASH}); {@code detail} says why, for the log. */
    void shutdown(ShutdownReason reason, String detail);

    /**
     * The guest's balloon moved: it now holds {@code bytes} of its memory (the rest went back to
     * the platform, or came from it). Machine context.
     *
     * @since 1.2
     */
    default void memoryChanged(long bytes) {
    }
}
