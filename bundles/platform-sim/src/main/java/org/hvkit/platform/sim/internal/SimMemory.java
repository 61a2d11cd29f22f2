package org.hvkit.platform.sim.internal;

import org.hvkit.api.memory.GuestMemory;
import org.hvkit.api.memory.HostMemory;
import org.hvkit.api.memory.OutOfHostMemoryException;
import org.hvkit.api.p2m.P2m;
import org.hvkit.api.p2m.P2mTable;
import org.hvkit.api.p2m.P2mType;
import org.hvkit.api.p2m.PageOrder;

/**
 * The simulated host's memory: exact accounting, per NUMA node, of what each domain holds, with
 * no backing pages (simulated guests run workload models, not code). Each domain's p2m is what a
 * host with transparent huge pages gives: 2 MiB entries, 4 KiB ones for a tail that is not a
 * whole 2 MiB; it keeps the size the domain was created with (a balloon changes the accounting).
 */
final class SimMemory implements HostMemory {
    private final long total;
    /** Free bytes per node; guarded by this. */
    private final long[] free;

    SimMemory(long[] nodeBytes) {
        this.free = nodeBytes.clone();
        long t = 0;
        for (long b : nodeBytes) t += b;
        this.total = t;
    }

    @Override
    public long totalBytes() {
        return total;
    }

    @Override
    public synchronized long freeBytes() {
        long f = 0;
        for (long b : free) f += b;
        return f;
    }

    @Override
    public synchronized long freeBytes(int node) {
        return node >= 0 && node < free.length ? free[node] : 0;
    }

    /** Without a split: from node 0 on, as much as each node has (callers that care give the split). */
    @Override
    public synchronized GuestMemory allocate(int domid, long bytes) {
        if (bytes <= 0) throw new IllegalArgumentException("memory size must be positive, not " + bytes);
        long have = freeBytes();
        if (have < bytes) throw new OutOfHostMemoryException("only " + (have >> 20) + " MiB of " + (total >> 20) + " MiB free");
        long[] split = new long[free.length];
        long left = bytes;
        for (int n = 0; n < free.length && left > 0; n++) {
            split[n] = Math.min(left, free[n]);
            left -= split[n];
        }
        return allocate(domid, split);
    }

    @Override
    public synchronized GuestMemory allocate(int domid, long[] bytesPerNode) {
        long sum = 0;
        for (int n = 0; n < bytesPerNode.length; n++) {
            long b = bytesPerNode[n];
            if (b < 0) throw new IllegalArgumentException("node " + n + ": negative size " + b);
            if (b > 0 && n >= free.length) throw new OutOfHostMemoryException("node " + n + " does not exist (the host has " + free.length + ")");
            if (b > 0 && free[n] < b) throw new OutOfHostMemoryException("node " + n + ": only " + (free[n] >> 20) + " MiB free, " + (b >> 20) + " MiB asked");
            sum += b;
        }
        if (sum <= 0) throw new IllegalArgumentException("memory size must be positive, not " + sum);
        long[] held = new long[free.length];
        for (int n = 0; n < bytesPerNode.length; n++) {
            free[n] -= bytesPerNode[n];
            held[n] = bytesPerNode[n];
        }
        long initial = sum;
        P2mTable p2m = new P2mTable(domid, (initial + 4095) >>> 12);
        p2m.populate(0, p2m.maxPages(), PageOrder.ORDER_2M, P2mType.RAM);
        return new GuestMemory() {
            private boolean closed;
            private long size = initial;

            @Override
            public P2m p2m() {
                return p2m;
            }

            @Override
            public void resize(long bytes) {
                if (bytes <= 0) throw new IllegalArgumentException("memory size must be positive, not " + bytes);
                synchronized (SimMemory.this) {
                    if (closed) throw new IllegalStateException("domain " + domid + "'s memory was returned");
                    if (bytes < size) {
                        // the balloon gives back from the highest node first
                        long give = size - bytes;
                        for (int n = held.length - 1; n >= 0 && give > 0; n--) {
                            long g = Math.min(give, held[n]);
                            held[n] -= g;
                            free[n] += g;
                            give -= g;
                        }
                    } else if (bytes > size) {
                        long want = bytes - size;
                        long have = 0;
                        for (long f : free) have += f;
                        if (have < want) throw new OutOfHostMemoryException("only " + (have >> 20) + " MiB free, " + (want >> 20) + " MiB more asked");
                        // again on the nodes it already uses, then on any
                        for (int pass = 0; pass < 2 && want > 0; pass++) {
                            for (int n = 0; n < held.length && want > 0; n++) {
                                if (pass == 0 && held[n] == 0) continue;
                                long g = Math.min(want, free[n]);
                                held[n] += g;
                                free[n] -= g;
                                want -= g;
                            }
                        }
                    }
                    balloonP2m(size, bytes);
                    size = bytes;
                }
            }

            /** Frames wholly above the new size are unbacked; frames taken again are RAM once more (within the p2m's size). */
            private void balloonP2m(long from, long to) {
                long max = p2m.maxPages(), a = Math.min((from + 4095) >>> 12, max), b = Math.min((to + 4095) >>> 12, max);
                if (b < a) p2m.unpopulate(b, a - b);
                else if (b > a) p2m.populate(a, b - a, PageOrder.ORDER_2M, P2mType.RAM);
            }

            @Override
            public int domainId() {
                return domid;
            }

            @Override
            public long sizeBytes() {
                synchronized (SimMemory.this) {
                    return size;
                }
            }

            @Override
            public long[] bytesPerNode() {
                synchronized (SimMemory.this) {
                    return held.clone();
                }
            }

            @Override
            public void close() {
                synchronized (SimMemory.this) {
                    if (closed) return;
                    closed = true;
                    p2m.destroy();
                    for (int n = 0; n < held.length; n++) free[n] += held[n];
                }
            }
        };
    }
}
