package org.hvkit.scenario.internal;

/**
 * A log-linear histogram of non-negative nanosecond values: exact below 32 ns, then 32 buckets per
 * power of two (relative error at most 1/64 with midpoints), up to about 36 minutes; larger values
 * land in the last bucket. Count, sum and max are exact.
 */
public final class LatencyHistogram {
    private static final int SUB_BITS = 5, SUB = 1 << SUB_BITS, MAX_EXP = 41;
    static final int BUCKETS = (MAX_EXP - SUB_BITS + 1) * SUB;

    private final long[] counts = new long[BUCKETS];
    private long count, sum, max = Long.MIN_VALUE, min = Long.MAX_VALUE;

    static int index(long v) {
        if (v < SUB) return (int) Math.max(v, 0);
        int e = 63 - Long.numberOfLeadingZeros(v);
        if (e > MAX_EXP) return BUCKETS - 1;
        int sub = (int) (v >>> (e - SUB_BITS)) & (SUB - 1);
        return (e - SUB_BITS + 1) * SUB + sub;
    }

    static long lower(int idx) {
        if (idx < SUB) return idx;
        int e = idx / SUB + SUB_BITS - 1, sub = idx % SUB;
        return (long) (SUB + sub) << (e - SUB_BITS);
    }

    static long width(int idx) {
        return idx < SUB ? 1 : 1L << (idx / SUB - 1);
    }

    public void record(long v) {
        counts[index(v)]++;
        count++;
        sum += v;
        if (v > max) max = v;
        if (v < min) min = v;
    }

    public void add(LatencyHistogram o) {
        for (int i = 0; i < BUCKETS; i++) counts[i] += o.counts[i];
        count += o.count;
        sum += o.sum;
        max = Math.max(max, o.max);
        min = Math.min(min, o.min);
    }

    public long count() { return count; }
    public long max() { return count == 0 ? 0 : max; }
    public long min() { return count == 0 ? 0 : min; }
    public double mean() { return count == 0 ? 0 : (double) sum / count; }

    /** The value at quantile {@code q} (0..1): the midpoint of its bucket, clamped to [min, max]. */
    public long quantile(double q) {
        if (count == 0) return 0;
        if (q >= 1) return max;
        long rank = (long) Math.ceil(q * count);
        if (rank < 1) rank = 1;
        long seen = 0;
        for (int i = 0; i < BUCKETS; i++) {
            seen += counts[i];
            if (seen >= rank) {
                long mid = lower(i) + (width(i) - 1) / 2;
                return Math.max(min, Math.min(max, mid));
            }
        }
        return max;
    }

    /** The fraction of values {@code <= v} (bucket resolution). */
    public double fractionAtOrBelow(long v) {
        if (count == 0) return 0;
        long n = 0;
        int last = index(v);
        for (int i = 0; i <= last; i++) n += counts[i];
        return (double) n / count;
    }

    /** CDF points (upper bound of each non-empty bucket, cumulative fraction), for plots. */
    public double[][] cdf() {
        int nonEmpty = 0;
        for (long c : counts) if (c != 0) nonEmpty++;
        double[][] pts = new double[nonEmpty][];
        long seen = 0;
        int k = 0;
        for (int i = 0; i < BUCKETS; i++) {
            if (counts[i] == 0) continue;
            seen += counts[i];
            double x = Math.min(max, lower(i) + width(i) - 1);
            pts[k++] = new double[] {x, (double) seen / count};
        }
        return pts;
    }
}
