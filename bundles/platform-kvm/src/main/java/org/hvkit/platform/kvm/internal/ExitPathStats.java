package org.hvkit.platform.kvm.internal;

/**
 * Where an exit's time goes on one pCPU: inside {@code KVM_RUN} (the kernel and the guest) and on
 * the Java exit path, from {@code KVM_RUN} returning to the next {@code KVM_RUN} of the same vCPU
 * when the exit was handled without a reschedule (decoding the exit, the hypercall, the machine
 * lock, the loop's checks). Both come from the same exits, so the second is what hvkit adds to the
 * first. Histograms with fixed buckets: recording costs two array writes, no allocation.
 */
final class ExitPathStats {
    /** Java path: 25 ns buckets up to 100 us. */
    private static final int PATH_BUCKET_NS = 25, PATH_BUCKETS = 4000;
    /** KVM_RUN: 1 us buckets up to 10 ms. */
    private static final int RUN_BUCKET_NS = 1000, RUN_BUCKETS = 10_000;
    private final long[] path = new long[PATH_BUCKETS + 1];
    private final long[] inRun = new long[RUN_BUCKETS + 1];
    private long pathCount, pathSum, pathMax, runCount, runSum;

    void recordPath(long ns) {
        path[(int) Math.min(ns / PATH_BUCKET_NS, PATH_BUCKETS)]++;
        pathCount++;
        pathSum += ns;
        if (ns > pathMax) pathMax = ns;
    }

    void recordRun(long ns) {
        inRun[(int) Math.min(ns / RUN_BUCKET_NS, RUN_BUCKETS)]++;
        runCount++;
        runSum += ns;
    }

    void add(ExitPathStats o) {
        for (int i = 0; i < path.length; i++) path[i] += o.path[i];
        for (int i = 0; i < inRun.length; i++) inRun[i] += o.inRun[i];
        pathCount += o.pathCount;
        pathSum += o.pathSum;
        pathMax = Math.max(pathMax, o.pathMax);
        runCount += o.runCount;
        runSum += o.runSum;
    }

    /** What was recorded after {@code earlier} (a copy of this taken before); the maximum is this one's. */
    ExitPathStats since(ExitPathStats earlier) {
        ExitPathStats d = new ExitPathStats();
        d.add(this);
        for (int i = 0; i < path.length; i++) d.path[i] -= earlier.path[i];
        for (int i = 0; i < inRun.length; i++) d.inRun[i] -= earlier.inRun[i];
        d.pathCount -= earlier.pathCount;
        d.pathSum -= earlier.pathSum;
        d.runCount -= earlier.runCount;
        d.runSum -= earlier.runSum;
        return d;
    }

    /**
     * A summary: Java exit path count, mean, p50, p99 and max; KVM_RUN count, mean and p50 (ns).
     * Percentiles are bucket upper bounds.
     */
    Summary summary() {
        return new Summary(pathCount, pathCount == 0 ? 0 : pathSum / pathCount, pct(path, pathCount, 0.50, PATH_BUCKET_NS),
                pct(path, pathCount, 0.99, PATH_BUCKET_NS), pathMax, runCount, runCount == 0 ? 0 : runSum / runCount, pct(inRun, runCount, 0.50, RUN_BUCKET_NS));
    }

    private static long pct(long[] h, long n, double q, int bucket) {
        if (n == 0) return 0;
        long want = (long) Math.ceil(q * n), seen = 0;
        for (int i = 0; i < h.length; i++) {
            seen += h[i];
            if (seen >= want) return (long) (i + 1) * bucket;
        }
        return (long) h.length * bucket;
    }

    record Summary(long exits, long meanNs, long p50Ns, long p99Ns, long maxNs, long runs, long runMeanNs, long runP50Ns) {
        @Override
        public String toString() {
            return String.format("Java exit path (KVM_RUN return -> next KVM_RUN, no reschedule): %d exits, mean %.2f us, p50 %.2f us, p99 %.2f us, max %.1f us;"
                    + " inside KVM_RUN: %d entries, mean %.1f us, p50 %.0f us", exits, meanNs / 1e3, p50Ns / 1e3, p99Ns / 1e3, maxNs / 1e3, runs, runMeanNs / 1e3, runP50Ns / 1e3);
        }
    }
}
