package org.hvkit.platform.sim.internal;

import java.util.Arrays;

/**
 * The discrete-event engine: a binary min-heap of events ordered by (time, arming order). The
 * arming order breaks ties, so equal inputs give the identical event sequence. Not thread-safe:
 * the platform calls it in machine context only.
 */
final class EventEngine {
    private SimEvent[] heap = new SimEvent[256];
    private int size;
    private long seq;
    private volatile long now;
    private long fired;

    long now() {
        return now;
    }

    long eventsFired() {
        return fired;
    }

    /** Moves the clock forward to {@code t} without firing anything (no event is due before it). */
    void advanceClock(long t) {
        if (t > now) now = t;
    }

    /** Arms {@code e} at {@code time} (clamped to now), replacing its earlier time. */
    void schedule(SimEvent e, long time) {
        if (time < now) time = now;
        if (e.heapIndex >= 0) {
            long oldTime = e.time;
            long oldSeq = e.seq;
            e.time = time;
            e.seq = seq++;
            if (time < oldTime || (time == oldTime && e.seq < oldSeq)) siftUp(e.heapIndex); else siftDown(e.heapIndex);
            return;
        }
        e.time = time;
        e.seq = seq++;
        if (size == heap.length) heap = Arrays.copyOf(heap, size * 2);
        heap[size] = e;
        e.heapIndex = size++;
        siftUp(e.heapIndex);
    }

    void cancel(SimEvent e) {
        int i = e.heapIndex;
        if (i < 0) return;
        e.heapIndex = -1;
        SimEvent last = heap[--size];
        heap[size] = null;
        if (i < size) {
            heap[i] = last;
            last.heapIndex = i;
            siftDown(i);
            siftUp(last.heapIndex);
        }
    }

    /** Time of the next event, or {@link Long#MAX_VALUE} when none is armed. */
    long nextTime() {
        return size == 0 ? Long.MAX_VALUE : heap[0].time;
    }

    /** Fires the next event if it is due at or before {@code limit}; false when none is. */
    boolean step(long limit) {
        if (size == 0) return false;
        SimEvent e = heap[0];
        if (e.time > limit) return false;
        cancel(e);
        now = e.time;
        fired++;
        e.fire(e.time);
        return true;
    }

    private static boolean before(SimEvent a, SimEvent b) {
        return a.time < b.time || (a.time == b.time && a.seq < b.seq);
    }

    private void siftUp(int i) {
        SimEvent e = heap[i];
        while (i > 0) {
            int parent = (i - 1) >>> 1;
            SimEvent p = heap[parent];
            if (!before(e, p)) break;
            heap[i] = p;
            p.heapIndex = i;
            i = parent;
        }
        heap[i] = e;
        e.heapIndex = i;
    }

    private void siftDown(int i) {
        SimEvent e = heap[i];
        int half = size >>> 1;
        while (i < half) {
            int child = 2 * i + 1;
            SimEvent c = heap[child];
            int right = child + 1;
            if (right < size && before(heap[right], c)) {
                child = right;
                c = heap[child];
            }
            if (!before(c, e)) break;
            heap[i] = c;
            c.heapIndex = i;
            i = child;
        }
        heap[i] = e;
        e.heapIndex = i;
    }
}
