package org.hvkit.api.memory;

import org.osgi.annotation.versioning.ConsumerType;

/** The host's memory, from which domains' memory is allocated. Provided by the platform. */
@ConsumerType
public interface HostMemory {
    long totalBytes();

    long freeBytes();

    /**
     * Takes {@code bytes} of memory for domain {@code domid}.
     *
     * @throws OutOfHostMemoryException when the host has less free memory than asked for
     */
    GuestMemory allocate(int domid, long bytes);

    /**
     * Free memory on NUMA node {@code node} (the platform's topology numbers them). The default
     * is a host of one node.
     *
     * @since 1.1
     */
    default long freeBytes(int node) {
        return node == 0 ? freeBytes() : 0;
    }

    /**
     * Takes {@code bytesPerNode[n]} bytes on each node {@code n} for domain {@code domid}, all or
     * nothing (the core decides the split, as Xen's heap allocator does). The default serves a host
     * of one node.
     *
     * @throws OutOfHostMemoryException when a node has less free memory than asked of it
     * @since 1.1
     */
    default GuestMemory allocate(int domid, long[] bytesPerNode) {
        long sum = 0;
        for (int n = 0; n < bytesPerNode.length; n++) {
            if (n > 0 && bytesPerNode[n] != 0) throw new OutOfHostMemoryException("node " + n + " does not exist on this host");
            sum += bytesPerNode[n];
        }
        return allocate(domid, sum);
    }
}
