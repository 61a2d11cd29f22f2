package org.hvkit.api.platform;

import java.util.Arrays;
import org.hvkit.api.domain.CpuMask;

/**
 * The host's pCPUs: socket, core, thread and NUMA node of each, and each node's memory and
 * distances. Immutable. pCPUs are numbered 0..n-1 socket-major: the threads of a core are
 * consecutive, then the cores of a socket, as Linux and Xen usually enumerate them.
 */
public final class HostTopology {
    private final int sockets, coresPerSocket, threadsPerCore, nodes;
    private final long[] nodeMemoryBytes;
    private final int[][] distances;
    private final CpuMask all;
    private final CpuMask[] coreMasks, socketMasks, nodeMasks;

    private HostTopology(int sockets, int coresPerSocket, int threadsPerCore, int nodes, long[] nodeMemoryBytes, int[][] distances) {
        if (sockets < 1 || coresPerSocket < 1 || threadsPerCore < 1) throw new IllegalArgumentException("topology needs at least one socket, core and thread");
        if (nodes < 1 || sockets % nodes != 0) throw new IllegalArgumentException("sockets (" + sockets + ") must divide evenly into NUMA nodes (" + nodes + ")");
        int n = sockets * coresPerSocket * threadsPerCore;
        if (n > 16384) throw new IllegalArgumentException("at most 16384 pCPUs, not " + n);
        this.sockets = sockets;
        this.coresPerSocket = coresPerSocket;
        this.threadsPerCore = threadsPerCore;
        this.nodes = nodes;
        this.nodeMemoryBytes = nodeMemoryBytes.clone();
        this.distances = distances;
        this.all = CpuMask.firstN(n);
        int cpusPerCore = threadsPerCore, cpusPerSocket = coresPerSocket * threadsPerCore, cpusPerNode = cpusPerSocket * (sockets / nodes);
        coreMasks = new CpuMask[sockets * coresPerSocket];
        for (int c = 0; c < coreMasks.length; c++) coreMasks[c] = CpuMask.range(c * cpusPerCore, (c + 1) * cpusPerCore - 1);
        socketMasks = new CpuMask[sockets];
        for (int s = 0; s < sockets; s++) socketMasks[s] = CpuMask.range(s * cpusPerSocket, (s + 1) * cpusPerSocket - 1);
        nodeMasks = new CpuMask[nodes];
        for (int d = 0; d < nodes; d++) nodeMasks[d] = CpuMask.range(d * cpusPerNode, (d + 1) * cpusPerNode - 1);
    }

    /**
     * A symmetric host. Memory is split evenly over the nodes; node distances are 10 locally and
     * 20 remotely (the usual ACPI SLIT values of a two-hop-free machine).
     */
    public static HostTopology of(int sockets, int coresPerSocket, int threadsPerCore, int nodes, long memoryBytes) {
        long[] mem = new long[nodes];
        Arrays.fill(mem, memoryBytes / nodes);
        int[][] dist = new int[nodes][nodes];
        for (int i = 0; i < nodes; i++) for (int j = 0; j < nodes; j++) dist[i][j] = i == j ? 10 : 20;
        return new HostTopology(sockets, coresPerSocket, threadsPerCore, nodes, mem, dist);
    }

    public int nrCpus() { return all.cardinality(); }
    public int sockets() { return sockets; }
    public int coresPerSocket() { return coresPerSocket; }
    public int threadsPerCore() { return threadsPerCore; }
    public int nrNodes() { return nodes; }
    public CpuMask allCpus() { return all; }

    /** The global core number of {@code cpu} (what {@code xl info -n} prints as core is {@link #coreInSocket}). */
    public int coreOf(int cpu) { return cpu / threadsPerCore; }
    public int coreInSocket(int cpu) { return coreOf(cpu) % coresPerSocket; }
    public int socketOf(int cpu) { return cpu / (coresPerSocket * threadsPerCore); }
    public int nodeOf(int cpu) { return socketOf(cpu) / (sockets / nodes); }

    /** The hyperthreads of {@code cpu}'s core, itself included. */
    public CpuMask threadSiblings(int cpu) { return coreMasks[coreOf(cpu)]; }
    /** The pCPUs of {@code cpu}'s socket. */
    public CpuMask socketCpus(int cpu) { return socketMasks[socketOf(cpu)]; }
    public CpuMask socketMask(int socket) { return socketMasks[socket]; }
    public CpuMask nodeCpus(int node) { return node >= 0 && node < nodes ? nodeMasks[node] : null; }
    public long nodeMemoryBytes(int node) { return nodeMemoryBytes[node]; }
    public long totalMemoryBytes() { return Arrays.stream(nodeMemoryBytes).sum(); }
    public int distance(int from, int to) { return distances[from][to]; }

    /** Parses a CPU list against this host: Xen's syntax including {@code node:N}. */
    public CpuMask parseCpus(String text) {
        return CpuMask.parse(text, nrCpus(), this::nodeCpus);
    }

    @Override
    public String toString() {
        return sockets + " sockets x " + coresPerSocket + " cores x " + threadsPerCore + " threads = " + nrCpus()
                + " pCPUs, " + nodes + " NUMA node(s), " + (totalMemoryBytes() >> 20) + " MiB";
    }
}
