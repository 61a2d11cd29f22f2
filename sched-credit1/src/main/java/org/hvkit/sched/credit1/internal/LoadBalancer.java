package org.hvkit.sched.credit1.internal;

import org.hvkit.api.sched.SchedVcpu;

/**
 * Xen's csched_load_balance: a pCPU whose best local work has no credit (OVER) or is idle looks
 * at the busy peers of its pool, starting after itself, for a queued vCPU of strictly higher
 * priority that is not running and may run here. The first one found is taken. Peers are found
 * through bitmaps of runqueues that hold such work, so a pool of busy pCPUs with nothing to give
 * costs a word scan, not a visit per pCPU.
 */
final class LoadBalancer {
    private final CsPcpu[] pcpus;
    private final long[] idlers, queuedBits, creditBits;
    private final int nrCpus;

    LoadBalancer(CsPcpu[] pcpus, long[] idlers, long[] queuedBits, long[] creditBits) {
        this.pcpus = pcpus;
        this.idlers = idlers;
        this.queuedBits = queuedBits;
        this.creditBits = creditBits;
        this.nrCpus = pcpus.length;
    }

    /** A vCPU of priority above {@code localPri} taken from a peer and moved to {@code cpu}, or null. */
    CsVcpu steal(int cpu, int localPri) {
        long[] work;
        if (localPri == CsVcpu.PRI_IDLE) work = queuedBits;
        else if (localPri == CsVcpu.PRI_OVER) work = creditBits;
        else return null;
        // peers after this pCPU, then those before it; idle peers will take their own work
        CsVcpu s = scan(cpu, work, cpu + 1, nrCpus, localPri);
        return s != null ? s : scan(cpu, work, 0, cpu, localPri);
    }

    private CsVcpu scan(int cpu, long[] work, int from, int to, int localPri) {
        for (int peer = CpuBits.next(work, null, idlers, from, to); peer >= 0; peer = CpuBits.next(work, null, idlers, peer + 1, to)) {
            CsPcpu q = pcpus[peer];
            if (q == null) continue;
            Runqueue rq = q.rq;
            for (CsVcpu s = rq.head.next; s != rq.head && s.pri > localPri; s = s.next) {
                SchedVcpu v = s.vcpu;
                if (!v.isRunning() && v.hardAffinity().contains(cpu)) {
                    rq.remove(s);
                    v.setProcessor(cpu);
                    return s;
                }
            }
        }
        return null;
    }
}
