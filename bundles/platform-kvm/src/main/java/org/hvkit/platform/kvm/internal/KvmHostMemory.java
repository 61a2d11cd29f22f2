package org.hvkit.platform.kvm.internal;

import java.lang.foreign.MemorySegment;
import java.util.concurrent.atomic.AtomicLong;
import org.hvkit.api.memory.GuestMemory;
import org.hvkit.api.memory.HostMemory;
import org.hvkit.api.memory.OutOfHostMemoryException;

/**
 * Host memory for guests: an accounted budget (the host's RAM minus a reserve, or
 * {@code hvkit.kvm.memory}) from which each domain gets a mapping on the largest pages the host
 * gives, populated at creation ({@link RamBacking}).
 * Domain-0 is this JVM: it is accounted but gets no mapping.
 */
final class KvmHostMemory implements HostMemory {
    private final long total;
    private final AtomicLong used = new AtomicLong();
    /** Bytes currently mapped for guests (for leak checks). */
    final AtomicLong mapped = new AtomicLong();

    KvmHostMemory(long total) {
        this.total = total;
    }

    @Override
    public long totalBytes() {
        return total;
    }

    @Override
    public long freeBytes() {
        return total - used.get();
    }

    @Override
    public GuestMemory allocate(int domid, long bytes) {
        if (bytes <= 0) throw new IllegalArgumentException("memory size must be positive");
        long u;
        do {
            u = used.get();
            if (u + bytes > total) throw new OutOfHostMemoryException("need " + (bytes >> 20) + " MiB, " + ((total - u) >> 20) + " MiB free");
        } while (!used.compareAndSet(u, u + bytes));
        if (domid == 0) return new KvmGuestMemory(this, domid, bytes, null);
        try {
            long size = (bytes + 0x1FFFFF) & ~0x1FFFFFL;
            RamBacking b = RamBacking.map(size);
            mapped.addAndGet(size);
            return new KvmGuestMemory(this, domid, bytes, b);
        } catch (RuntimeException e) {
            used.addAndGet(-bytes);
            throw new OutOfHostMemoryException("cannot map " + (bytes >> 20) + " MiB: " + e.getMessage());
        }
    }

    /** A balloon takes {@code bytes} back from the budget. */
    void take(long bytes) {
        long u;
        do {
            u = used.get();
            if (u + bytes > total) throw new org.hvkit.api.memory.OutOfHostMemoryException("need " + (bytes >> 20) + " MiB, " + ((total - u) >> 20) + " MiB free");
        } while (!used.compareAndSet(u, u + bytes));
    }

    /** A balloon gives {@code bytes} back to the budget. */
    void give(long bytes) {
        used.addAndGet(-bytes);
    }

    void release(KvmGuestMemory m) {
        used.addAndGet(-m.sizeBytes());
        if (m.host != null) {
            Native.munmap(m.host);
            mapped.addAndGet(-m.host.byteSize());
        }
    }

    /** Total host RAM from /proc/meminfo, or 1 GiB when it cannot be read. */
    static long hostRam() {
        try {
            for (String l : java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/meminfo"))) {
                if (l.startsWith("MemTotal:")) return Long.parseLong(l.replaceAll("[^0-9]", "")) * 1024;
            }
        } catch (java.io.IOException | NumberFormatException e) {
            // fall through
        }
        return 1L << 30;
    }
}
