package org.hvkit.sched.credit1.internal;

/**
 * One pCPU's runqueue: a circular doubly linked list sorted by priority, FIFO within a priority.
 * It keeps the instance's "has queued work" and "has queued UNDER/BOOST work" bitmaps current,
 * so that work stealing visits only peers that could give something.
 */
final class Runqueue {
    final int cpu;
    /** Sentinel: head.next is the first vCPU. */
    final CsVcpu head = new CsVcpu(null, null);
    int size;
    /** Queued vCPUs with priority UNDER or BOOST. */
    int withCredit;
    private final long[] queuedBits, creditBits;

    Runqueue(int cpu, long[] queuedBits, long[] creditBits) {
        this.cpu = cpu;
        this.queuedBits = queuedBits;
        this.creditBits = creditBits;
        head.prev = head;
        head.next = head;
    }

    boolean isEmpty() {
        return head.next == head;
    }

    CsVcpu first() {
        return head.next == head ? null : head.next;
    }

    /**
     * Inserts before the first vCPU of lower priority. A yielder goes one place further: behind the
     * first lower-priority vCPU, so that one runs before it.
     */
    void insert(CsVcpu s) {
        CsVcpu it = head.next;
        while (it != head && s.pri <= it.pri) it = it.next;
        if (s.yielding && it != head) it = it.next;
        linkBefore(s, it);
        count(s.pri, 1);
    }

    void remove(CsVcpu s) {
        s.prev.next = s.next;
        s.next.prev = s.prev;
        s.prev = s.next = null;
        s.rq = null;
        count(s.pri, -1);
    }

    /** Changes the priority of a queued vCPU in place; its position is fixed by the next sort. */
    void reprioritise(CsVcpu s, int pri) {
        count(s.pri, -1);
        s.pri = pri;
        count(pri, 1);
    }

    /** After accounting: UNDER and BOOST vCPUs move ahead of OVER ones, relative order kept, O(n). */
    void sort() {
        CsVcpu lastUnder = head;
        for (CsVcpu it = head.next; it != head; ) {
            CsVcpu nx = it.next;
            if (it.pri >= CsVcpu.PRI_UNDER) {
                if (it.prev != lastUnder) {
                    it.prev.next = it.next;
                    it.next.prev = it.prev;
                    linkBefore(it, lastUnder.next);
                }
                lastUnder = it;
            }
            it = nx;
        }
    }

    private void linkBefore(CsVcpu s, CsVcpu it) {
        s.next = it;
        s.prev = it.prev;
        it.prev.next = s;
        it.prev = s;
        s.rq = this;
    }

    private void count(int pri, int delta) {
        size += delta;
        if (pri >= CsVcpu.PRI_UNDER) withCredit += delta;
        CpuBits.put(queuedBits, cpu, size > 0);
        CpuBits.put(creditBits, cpu, withCredit > 0);
    }
}
