package org.hvkit.platform.kvm.internal;

/**
 * What a guest reported through the REPORT hypercalls: per key the count, last, sum, minimum and
 * maximum. Written in machine context; {@link #snapshot} copies it under the same lock.
 */
public final class GuestReports {
    /** Statistics of one report key. */
    public record Stat(int key, long count, long last, long sum, long min, long max) {
        public double mean() {
            return count == 0 ? 0 : (double) sum / count;
        }
    }

    private final long[] count = new long[GuestAbi.NR_REPORTS], last = new long[GuestAbi.NR_REPORTS], sum = new long[GuestAbi.NR_REPORTS],
            min = new long[GuestAbi.NR_REPORTS], max = new long[GuestAbi.NR_REPORTS];
    /** Values of each key in report order, kept up to a bound (for percentiles in tests and figures). */
    private final long[][] values = new long[GuestAbi.NR_REPORTS][];
    private final int[] nValues = new int[GuestAbi.NR_REPORTS];
    private static final int KEEP = 100_000;

    synchronized void report(int key, long value) {
        if (count[key] == 0 || value < min[key]) min[key] = value;
        if (count[key] == 0 || value > max[key]) max[key] = value;
        count[key]++;
        last[key] = value;
        sum[key] += value;
        if (values[key] == null) values[key] = new long[64];
        if (nValues[key] < KEEP) {
            if (nValues[key] == values[key].length) values[key] = java.util.Arrays.copyOf(values[key], values[key].length * 2);
            values[key][nValues[key]++] = value;
        }
    }

    public synchronized Stat snapshot(int key) {
        return new Stat(key, count[key], last[key], sum[key], min[key], max[key]);
    }

    /** The values reported under {@code key}, oldest first (at most the first 100 000). */
    public synchronized long[] values(int key) {
        return values[key] == null ? new long[0] : java.util.Arrays.copyOf(values[key], nValues[key]);
    }
}
