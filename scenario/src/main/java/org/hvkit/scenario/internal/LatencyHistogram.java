package org.hvkit.scenario.internal;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramIterationValue;

/**
 * Non-negative nanosecond values in an HdrHistogram (3 significant digits, so quantiles are within
 * 0.1 %, auto-resizing so no value is clipped). Count, min, max and sum are kept exact here because
 * HdrHistogram reports them at bucket resolution.
 */
public final class LatencyHistogram {
    private final Histogram h = new Histogram(3);
    private long sum, max = Long.MIN_VALUE, min = Long.MAX_VALUE;

    public LatencyHistogram() {
        h.setAutoResize(true);
    }

    public void record(long v) {
        long x = Math.max(v, 0); // a clock step backwards must not kill the run
        h.recordValue(x);
        sum += x;
        if (x > max) max = x;
        if (x < min) min = x;
    }

    public void add(LatencyHistogram o) {
        h.add(o.h);
        sum += o.sum;
        max = Math.max(max, o.max);
        min = Math.min(min, o.min);
    }

    public long count() { return h.getTotalCount(); }
    public long max() { return count() == 0 ? 0 : max; }
    public long min() { return count() == 0 ? 0 : min; }
    public double mean() { return count() == 0 ? 0 : (double) sum / count(); }

    /** The value at quantile {@code q} (0..1), as HdrHistogram reports it (highest equivalent value, clamped to max). */
    public long quantile(double q) {
        if (count() == 0) return 0;
        if (q >= 1) return max();
        return Math.max(min(), Math.min(max(), h.getValueAtPercentile(Math.max(q, 0) * 100)));
    }

    /** The fraction of values {@code <= v} (HdrHistogram resolution). */
    public double fractionAtOrBelow(long v) {
        if (count() == 0) return 0;
        return (double) h.getCountBetweenValues(0, Math.max(v, 0)) / count();
    }

    /** CDF points (highest value of each non-empty bucket clamped to max, cumulative fraction), for plots. */
    public double[][] cdf() {
        java.util.List<double[]> pts = new java.util.ArrayList<>();
        long n = count(), max = max();
        for (HistogramIterationValue v : h.recordedValues())
            pts.add(new double[] {Math.min(max, h.highestEquivalentValue(v.getValueIteratedTo())), (double) v.getTotalCountToThisValue() / n});
        return pts.toArray(double[][]::new);
    }
}
