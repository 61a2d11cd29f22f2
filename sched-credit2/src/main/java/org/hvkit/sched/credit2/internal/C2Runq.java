package org.hvkit.sched.credit2.internal;

import java.util.ArrayList;
import java.util.Arrays;
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
    private C2Vcpu[] queue = new C2Vcpu[16];
    /**
     * The credit of each queued vCPU at the same index, always equal to its {@code credit} (the
     * scheduler calls {@link #creditChanged} or {@link #creditsChanged} when it changes one), so
     * that ordering and the candidate scan read one array instead of visiting every vCPU.
     */
    private long[] queueCredit = new long[16];
    private int queueLen;
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

    /**
     * Whether {@code mask} holds one of its pCPUs ({@code cpus.intersects(mask)}), by testing its
     * few pCPUs rather than walking words of a mask of thousands of bits.
     */
    boolean allowsAny(CpuMask mask) {
        for (int c : cpuList) if (mask.contains(c)) return true;
        return false;
    }

        int cpuCount() {
        return cpuList.length;
    }

    void setCpus(CpuMask m) {
        cpus = m;
        cpuList = m.toArray();
    }

    int queueSize() {
        return queueLen;
    }

    /** The {@code i}-th queued vCPU (0: the head, most credit). */
    C2Vcpu queued(int i) {
        return queue[i];
    }

    /** The credit of the {@code i}-th queued vCPU. */
    long queuedCredit(int i) {
        return queueCredit[i];
    }

    /** A copy of the queue, head first. */
    List<C2Vcpu> queueList() {
        List<C2Vcpu> out = new ArrayList<>(queueLen);
        for (int i = 0; i < queueLen; i++) out.add(queue[i]);
        return out;
    }

    void enqueue(C2Vcpu s) {
        long credit = s.credit;
        int lo = 0, hi = queueLen;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (queueCredit[mid] >= credit) lo = mid + 1; else hi = mid;
        }
        if (queueLen == queue.length) {
            queue = Arrays.copyOf(queue, 2 * queueLen);
            queueCredit = Arrays.copyOf(queueCredit, 2 * queueLen);
        }
        System.arraycopy(queue, lo, queue, lo + 1, queueLen - lo);
        System.arraycopy(queueCredit, lo, queueCredit, lo + 1, queueLen - lo);
        queue[lo] = s;
        queueCredit[lo] = credit;
        queueLen++;
        s.queued = true;
    }

    void dequeue(C2Vcpu s) {
        int i = indexOf(s);
        if (i >= 0) {
            int tail = queueLen - i - 1;
            System.arraycopy(queue, i + 1, queue, i, tail);
            System.arraycopy(queueCredit, i + 1, queueCredit, i, tail);
            queue[--queueLen] = null;
        }
        s.queued = false;
    }

    private int indexOf(C2Vcpu s) {
        for (int i = 0; i < queueLen; i++) if (queue[i] == s) return i;
        return -1;
    }

    /** A queued vCPU's credit changed (its place stays, as in a list ordered when it was queued). */
    void creditChanged(C2Vcpu s) {
        int i = indexOf(s);
        if (i >= 0) queueCredit[i] = s.credit;
    }

    /** Credits of queued vCPUs changed (a credit reset). */
    void creditsChanged() {
        for (int i = 0; i < queueLen; i++) queueCredit[i] = queue[i].credit;
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
