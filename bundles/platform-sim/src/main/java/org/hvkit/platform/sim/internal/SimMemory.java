package org.hvkit.platform.sim.internal;

import java.util.concurrent.atomic.AtomicLong;
import org.hvkit.api.memory.GuestMemory;
import org.hvkit.api.memory.HostMemory;
import org.hvkit.api.memory.OutOfHostMemoryException;
import org.hvkit.api.p2m.P2m;
import org.hvkit.api.p2m.P2mTable;
import org.hvkit.api.p2m.P2mType;
import org.hvkit.api.p2m.PageOrder;

/**
 * The simulated host's memory: exact accounting of what each domain holds, with no backing pages
 * (simulated guests run workload models, not code). Each domain's p2m is what a host with
 * transparent huge pages gives: 2 MiB entries, 4 KiB ones for a tail that is not a whole 2 MiB.
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
        P2mTable p2m = new P2mTable(domid, (bytes + 4095) >>> 12);
        p2m.populate(0, p2m.maxPages(), PageOrder.ORDER_2M, P2mType.RAM);
        return new GuestMemory() {
            private boolean closed;

            @Override
            public P2m p2m() {
                return p2m;
            }

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
                    p2m.destroy();
                    free.addAndGet(bytes);
                }
            }
        };
    }
}
