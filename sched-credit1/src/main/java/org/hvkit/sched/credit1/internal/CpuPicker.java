package org.hvkit.sched.credit1.internal;

import org.hvkit.api.platform.HostTopology;

/**
 * Xen's pick_cpu: prefer the vCPU's own pCPU, but spread over idle pCPUs. Within a socket move
 * to a pCPU whose core has more idle threads; across sockets only to a socket with more than
 * twice as many idle pCPUs. Ties rotate through each target's idle bias. Works on scratch words,
 * so it does not allocate.
 */
final class CpuPicker {
    private final int nrCpus, threadsPerCore, cpusPerSocket;
    private final long[] cpus, idle;

    CpuPicker(HostTopology topo) {
        nrCpus = topo.nrCpus();
        threadsPerCore = topo.threadsPerCore();
        cpusPerSocket = topo.coresPerSocket() * topo.threadsPerCore();
        cpus = CpuBits.create(nrCpus);
        idle = CpuBits.create(nrCpus);
    }

    /**
     * @param hard      the vCPU's hard affinity
     * @param online    the pool's pCPUs
     * @param idlers    the pool's idle pCPUs
     * @param processor the vCPU's current pCPU
     * @param pcpus     per-pCPU state (idle bias, updated: Xen's commit mode)
     * @return the chosen pCPU, or {@code processor} when the affinity misses the pool
     */
    int pick(long[] hard, long[] online, long[] idlers, int processor, CsPcpu[] pcpus) {
        for (int w = 0; w < cpus.length; w++) cpus[w] = (w < hard.length ? hard[w] : 0) & online[w];
        if (CpuBits.isEmpty(cpus)) return processor;
        int cpu = CpuBits.get(cpus, processor) ? processor : CpuBits.cycle(cpus, null, null, processor, nrCpus);

        // candidates: idle pCPUs of the set; the start counts as idle
        System.arraycopy(idlers, 0, idle, 0, idle.length);
        CpuBits.set(idle, cpu);
        for (int w = 0; w < cpus.length; w++) cpus[w] &= idle[w];
        CpuBits.clear(cpus, cpu);

        while (!CpuBits.isEmpty(cpus)) {
            int nxt = CpuBits.cycle(cpus, null, null, cpu, nrCpus);
            boolean sameSocket = cpu / cpusPerSocket == nxt / cpusPerSocket;
            int span = sameSocket ? threadsPerCore : cpusPerSocket, factor = sameSocket ? 1 : 2;
            int cpuLo = cpu - cpu % span, nxtLo = nxt - nxt % span;
            int idleHere = CpuBits.count(idle, cpuLo, cpuLo + span - 1);
            int idleThere = CpuBits.count(idle, nxtLo, nxtLo + span - 1);
            if (idleHere * factor < idleThere) {
                CsPcpu np = pcpus[nxt];
                int bias = np != null ? np.idleBias : nxt;
                int hi = nxtLo + span;
                int c = CpuBits.next(cpus, null, null, Math.max(bias + 1, nxtLo), hi);
                if (c < 0) c = CpuBits.next(cpus, null, null, nxtLo, hi);
                cpu = c;
                if (np != null) np.idleBias = cpu;
                int sib = cpu - cpu % threadsPerCore;
                clearRange(cpus, sib, sib + threadsPerCore - 1);
            } else {
                clearRange(cpus, nxtLo, nxtLo + span - 1);
            }
        }
        return cpu;
    }

    private static void clearRange(long[] m, int from, int to) {
        for (int c = from; c <= to; c++) CpuBits.clear(m, c);
    }
}
