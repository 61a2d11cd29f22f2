package org.hvkit.iommu.vtd.internal;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * The host memory the unit's tables live in, modelled: 4 KiB pages of 512 little 64-bit words,
 * addressed by host physical address (frame << 12). Frame 0 is never handed out, so a zero
 * pointer in an entry is never a table. Bounded: a full memory refuses to allocate. Not
 * thread-safe: the unit's lock guards it.
 */
final class TableMemory {
    static final int WORDS = 512;
    private final List<long[]> frames = new ArrayList<>();
    private final ArrayDeque<Integer> free = new ArrayDeque<>();
    private final java.util.BitSet live = new java.util.BitSet();
    private final int maxFrames;
    private int used;

    TableMemory(int maxFrames) {
        this.maxFrames = maxFrames;
        frames.add(null); // frame 0: never a table
    }

    /** A zeroed page; its host physical address. @throws IllegalStateException when the memory is full */
    long alloc() {
        Integer f = free.poll();
        if (f == null) {
            if (frames.size() > maxFrames) throw new IllegalStateException("VT-d table memory full (" + maxFrames + " pages)");
            frames.add(new long[WORDS]);
            f = frames.size() - 1;
        } else {
            java.util.Arrays.fill(frames.get(f), 0);
        }
        used++;
        live.set(f);
        return (long) f << 12;
    }

    void free(long addr) {
        int f = frame(addr);
        if (f <= 0 || !live.get(f)) return;
        live.clear(f);
        used--;
        free.push(f);
    }

    /** Whether {@code addr} is a page handed out (an entry's pointer elsewhere is invalid: reason 7 or 9). */
    boolean valid(long addr) {
        long f = addr >>> 12;
        return f > 0 && f < frames.size() && live.get((int) f);
    }

    /** The 64-bit word {@code index} (0-511) of the page at {@code addr}. */
    long read(long addr, int index) {
        return frames.get(frame(addr))[index];
    }

    void write(long addr, int index, long value) {
        frames.get(frame(addr))[index] = value;
    }

    int usedPages() {
        return used;
    }

    private int frame(long addr) {
        long f = addr >>> 12;
        if (f >= frames.size()) throw new IllegalArgumentException("no table page at " + Long.toHexString(addr));
        return (int) f;
    }
}
