package org.hvkit.sched.credit2.internal;

import java.util.ArrayList;
import java.util.List;
import org.hvkit.api.domain.CpuMask;

/** A credit2 runqueue: pCPUs sharing one queue ordered by credit, its load average and masks. */
final class C2Runq {
    static final int PRECISION_SHIFT = 18;
    final int id;
    /** The topology group (socket, node...) it was made for. */
    final int group;
    CpuMask cpus = CpuMask.EMPTY;
    /** Its pCPUs as an array: at most ~16, so walking it beats mask arithmetic over thousands of bits. */
    int[] cpuList = new int[0];
    /** Every vCPU on its books, queued or not (what a credit reset and max_weight look at). */
    final List<C2Vcpu> members = new ArrayList<>();
    /** Queued vCPUs, highest credit first; equal credit keeps arrival order. */
    final List<C2Vcpu> queue = new ArrayList<>();
    int maxWeight = 1;
    int assigned;
    /** Runnable vCPUs on its books now, and their exponentially weighted average (fixed point). */
    long instLoad;
    long avgLoad;
    private long loadUpdated;
    long resets, migrations;

    C2Runq(int id, int group) {
        this.id = id;
        this.group = group;
    }

    int cpuCount() {
        return cpuList.length;
    }

    void setCpus(CpuMask m) {
        cpus = m;
        cpuList = m.toArray();
    }

    void enqueue(C2Vcpu s) {
        int lo = 0, hi = queue.size();
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (queue.get(mid).credit >= s.credit) lo = mid + 1; else hi = mid;
        }
        queue.add(lo, s);
        s.queued = true;
    }

    void dequeue(C2Vcpu s) {
        queue.remove(s);
        s.queued = false;
    }

    /** Brings the load average to {@code now}, then changes the instantaneous load by {@code change}. */
    void updateLoad(long now, int change) {
        avgLoad = ewma(avgLoad, instLoad, now - loadUpdated);
        if (now > loadUpdated) loadUpdated = now;
        instLoad = Math.max(0, instLoad + change);
    }

    /**
     * Exponentially weighted moving average over the window 2^LOAD_WINDOW_SHIFT ns, fixed point
     * 2^PRECISION_SHIFT: after {@code delta} ns at instantaneous load {@code inst}, the average moves
     * delta/window of the way towards it (all of the way after a whole window).
     */
    static long ewma(long avg, long inst, long delta) {
        if (delta <= 0) return avg;
        long target = inst << PRECISION_SHIFT;
        if (delta >= 1L << Credit2Scheduler.LOAD_WINDOW_SHIFT) return target;
        // delta < 2^30 and |target - avg| < 2^(18+25): the product stays below 2^73 only for absurd loads; split to stay exact
        long diff = target - avg;
        long hi = (diff >> 12) * delta >> (Credit2Scheduler.LOAD_WINDOW_SHIFT - 12);
        return avg + hi;
    }
}
