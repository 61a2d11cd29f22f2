package org.hvkit.timer.internal;

import java.util.Arrays;
import java.util.function.LongConsumer;
import org.hvkit.api.timer.HvTimer;
import org.hvkit.api.timer.VirtualTimers;

/**
 * Virtual-time timers: a binary min-heap ordered by (deadline, arming order), each timer knowing
 * its heap slot so that re-arming and cancelling are O(log n) without search. The arming order
 * breaks ties, which makes simulations reproducible. Not thread-safe.
 */
final class VirtualTimerQueue implements VirtualTimers {
    private Timer[] heap = new Timer[256];
    private int size;
    private long seq;
    /** Read by other threads for progress displays; written only by the owner. */
    private volatile long now;
    private long fired;

    @Override
    public long now() {
        return now;
    }

    @Override
    public HvTimer createTimer(int cpu, LongConsumer callback) {
        return new Timer(callback);
    }

    @Override
    public long nextDeadline() {
        return size == 0 ? Long.MAX_VALUE : heap[0].deadline;
    }

    @Override
    public boolean fireNext(long limit) {
        if (size == 0) return false;
        Timer t = heap[0];
        if (t.deadline > limit) return false;
        remove(t);
        now = t.deadline;
        fired++;
        t.callback.accept(t.deadline);
        return true;
    }

    @Override
    public void advanceTo(long t) {
        if (t > now) now = t;
    }

    @Override
    public long fired() {
        return fired;
    }

    private void arm(Timer t, long deadline) {
        if (deadline < now) deadline = now;
        if (t.slot >= 0) {
            long oldDeadline = t.deadline;
            t.deadline = deadline;
            t.seq = seq++;
            // a later deadline (or the same one, armed later) can only move it down
            if (deadline < oldDeadline) siftUp(t.slot); else siftDown(t.slot);
            return;
        }
        t.deadline = deadline;
        t.seq = seq++;
        if (size == heap.length) heap = Arrays.copyOf(heap, size * 2);
        heap[size] = t;
        t.slot = size++;
        siftUp(t.slot);
    }

    private void remove(Timer t) {
        int i = t.slot;
        if (i < 0) return;
        t.slot = -1;
        Timer last = heap[--size];
        heap[size] = null;
        if (i < size) {
            heap[i] = last;
            last.slot = i;
            siftDown(i);
            siftUp(last.slot);
        }
    }

    private static boolean before(Timer a, Timer b) {
        return a.deadline < b.deadline || (a.deadline == b.deadline && a.seq < b.seq);
    }

    private void siftUp(int i) {
        Timer t = heap[i];
        while (i > 0) {
            int parent = (i - 1) >>> 1;
            Timer p = heap[parent];
            if (!before(t, p)) break;
            heap[i] = p;
            p.slot = i;
            i = parent;
        }
        heap[i] = t;
        t.slot = i;
    }

    private void siftDown(int i) {
        Timer t = heap[i];
        int half = size >>> 1;
        while (i < half) {
            int child = 2 * i + 1;
            Timer c = heap[child];
            int right = child + 1;
            if (right < size && before(heap[right], c)) {
                child = right;
                c = heap[child];
            }
            if (!before(c, t)) break;
            heap[i] = c;
            c.slot = i;
            i = child;
        }
        heap[i] = t;
        t.slot = i;
    }

    private final class Timer implements HvTimer {
        final LongConsumer callback;
        long deadline;
        long seq;
        int slot = -1;

        Timer(LongConsumer callback) {
            this.callback = callback;
        }

        @Override
        public void set(long deadlineNs) {
            arm(this, deadlineNs);
        }

        @Override
        public void stop() {
            remove(this);
        }

        @Override
        public boolean isActive() {
            return slot >= 0;
        }

        @Override
        public long deadline() {
            return slot >= 0 ? deadline : -1;
        }
    }
}
