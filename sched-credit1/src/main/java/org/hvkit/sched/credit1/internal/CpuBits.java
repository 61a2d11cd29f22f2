package org.hvkit.sched.credit1.internal;

import org.hvkit.api.domain.CpuMask;

/**
 * Mutable pCPU bitmaps as plain {@code long[]} words. The hot paths (wake, do_schedule) work on
 * these instead of {@link CpuMask}, which allocates on every operation.
 */
final class CpuBits {
    private CpuBits() {
    }

    static long[] create(int nrCpus) {
        return new long[(nrCpus + 63) >>> 6];
    }

    static boolean get(long[] m, int c) {
        int w = c >>> 6;
        return w < m.length && (m[w] & (1L << c)) != 0;
    }

    static void set(long[] m, int c) {
        m[c >>> 6] |= 1L << c;
    }

    static void clear(long[] m, int c) {
        m[c >>> 6] &= ~(1L << c);
    }

    static void put(long[] m, int c, boolean on) {
        if (on) set(m, c); else clear(m, c);
    }

    /** Copies a mask into words of the given length (bits beyond it are dropped). */
    static long[] of(CpuMask mask, int words) {
        long[] r = new long[words];
        int limit = words << 6;
        for (int c = mask.first(); c >= 0 && c < limit; c = mask.nextSetBit(c + 1)) set(r, c);
        return r;
    }

    /** The lowest bit {@code >= from} and {@code < to} set in {@code a & b & ~not}, or -1; {@code not} may be null. */
    static int next(long[] a, long[] b, long[] not, int from, int to) {
        if (from >= to) return -1;
        int w = from >>> 6, last = (to - 1) >>> 6;
        long word = word(a, b, not, w) & (-1L << from);
        while (true) {
            if (word != 0) {
                int c = (w << 6) + Long.numberOfTrailingZeros(word);
                return c < to ? c : -1;
            }
            if (++w > last) return -1;
            word = word(a, b, not, w);
        }
    }

    private static long word(long[] a, long[] b, long[] not, int w) {
        long x = w < a.length ? a[w] : 0;
        if (b != null) x &= w < b.length ? b[w] : 0;
        if (not != null && w < not.length) x &= ~not[w];
        return x;
    }

    /** The next bit after {@code cpu} in {@code a & b & ~not}, wrapping around; may return {@code cpu} itself last; -1 if none. */
    static int cycle(long[] a, long[] b, long[] not, int cpu, int nrCpus) {
        int c = next(a, b, not, cpu + 1, nrCpus);
        return c >= 0 ? c : next(a, b, not, 0, Math.min(cpu + 1, nrCpus));
    }

    /** Number of bits set in {@code m} between {@code from} and {@code to}, both inclusive. */
    static int count(long[] m, int from, int to) {
        int n = 0;
        for (int w = from >>> 6; w <= to >>> 6 && w < m.length; w++) {
            long x = m[w];
            if (w == from >>> 6) x &= -1L << from;
            if (w == to >>> 6 && (to & 63) != 63) x &= (1L << (to + 1)) - 1;
            n += Long.bitCount(x);
        }
        return n;
    }

    static boolean isEmpty(long[] m) {
        for (long x : m) if (x != 0) return false;
        return true;
    }

    static String toRangeList(long[] m) {
        CpuMask.Builder b = CpuMask.builder();
        for (int c = next(m, null, null, 0, m.length << 6); c >= 0; c = next(m, null, null, c + 1, m.length << 6)) b.set(c);
        return b.build().toRangeList();
    }
}
