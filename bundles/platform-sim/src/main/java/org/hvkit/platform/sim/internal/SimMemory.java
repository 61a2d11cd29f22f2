package org.hvkit.platform.sim.internal;

import java.util.concurrent.atomic.AtomicLong;
import org.hvkit.api.memory.GuestMemory;
import org.hvkit.api.memory.HostMemory;
import org.hvkit.api.memory.OutOfHostMemoryException;

/**
 * The simulated host's memory: exact accounting of what each domain holds, with no backing pages
 * (simulated guests run workload models, not code).
 */
final class SimMemory implements HostMemory {
    private final long total;
    private final AtomicLong free;

    SimMemory(long totalBytes) {
        this.total = totalBytes;
        this.free = new AtomicLong(totalBytes);
    }

    @Override
    public long totalBytes() {
        return total;
    }

    @Override
    public long freeBytes() {
        return free.get();
    }

    @Override
    public GuestMemory allocate(int domid, long bytes) {
        if (bytes <= 0) throw new IllegalArgumentException("memory size must be positive, not " + bytes);
        long f;
        do {
            f = free.get();
            if (f < bytes) throw new OutOfHostMemoryException("only " + (f >> 20) + " MiB of " + (total >> 20) + " MiB free");
        } while (!free.compareAndSet(f, f - bytes));
        return new GuestMemory() {
            private boolean closed;

            @Override
            public int domainId() {
                return domid;
            }

            @Override
            public long sizeBytes() {
                return bytes;
            }

            @Override
            public synchronized void close() {
                if (!closed) {
                    closed = true;
                    free.addAndGet(bytes);
                }
            }
        };
    }
}
