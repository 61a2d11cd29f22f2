package org.hvkit.core.internal;

import org.hvkit.api.domain.CpuMask;
import org.hvkit.api.memory.HostMemory;
import org.hvkit.api.memory.OutOfHostMemoryException;
import org.hvkit.api.platform.HostTopology;

/**
 * Which node a domain's memory comes from, as Xen 4.2's heap allocator decides it
 * (page_alloc.c alloc_heap_pages): the domain's node affinity is every node with a pCPU in some
 * vCPU's hard affinity within its pool (domain_update_node_affinity); memory is taken in 2 MiB
 * extents, each from the affinity node after the one that gave the previous extent (the first
 * after node 0, as last_alloc_node starts at 0), another affinity node when that one is full, and
 * any node with room when all of them are.
 */
final class NodeAlloc {
    static final long EXTENT = 2L << 20;

    private NodeAlloc() {
    }

    /** Nodes with a pCPU in {@code cpus}, as a bit set over node numbers. */
    static boolean[] nodeAffinity(HostTopology topo, CpuMask cpus) {
        boolean[] in = new boolean[topo.nrNodes()];
        for (int n = 0; n < in.length; n++) in[n] = topo.nodeCpus(n).intersects(cpus);
        return in;
    }

    /**
     * Bytes to take from each node for {@code bytes}, given the free memory per node now.
     *
     * @throws OutOfHostMemoryException when the host has less free memory than that in all
     */
    static long[] split(long bytes, boolean[] affinity, long[] free) {
        int nodes = free.length;
        long[] left = free.clone();
        long[] take = new long[nodes];
        long total = 0;
        for (long f : free) total += f;
        if (total < bytes) throw new OutOfHostMemoryException("only " + (total >> 20) + " MiB free on " + nodes + " node(s)");
        int last = 0;
        long remaining = bytes;
        while (remaining > 0) {
            long chunk = Math.min(EXTENT, remaining);
            int node = pick(affinity, left, last, chunk);
            if (node < 0) node = pick(affinity, left, last, 1); // no node has a whole extent: take what one has
            long got = Math.min(chunk, left[node]);
            take[node] += got;
            left[node] -= got;
            remaining -= got;
            last = node;
        }
        return take;
    }

    /** The next node after {@code last} in the affinity with {@code need} free, else any such node in order, else -1. */
    private static int pick(boolean[] affinity, long[] left, int last, long need) {
        int n = left.length;
        for (int i = 1; i <= n; i++) {
            int c = (last + i) % n;
            if (affinity[c] && left[c] >= need) return c;
        }
        for (int c = 0; c < n; c++) if (left[c] >= need) return c;
        return -1;
    }

    /** The host's free memory per node now. */
    static long[] free(HostMemory mem, int nodes) {
        long[] f = new long[nodes];
        for (int n = 0; n < nodes; n++) f[n] = mem.freeBytes(n);
        return f;
    }
}
