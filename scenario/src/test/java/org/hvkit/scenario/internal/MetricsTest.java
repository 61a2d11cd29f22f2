package org.hvkit.scenario.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.hvkit.api.domain.CpuMask;
import org.junit.jupiter.api.Test;

class MetricsTest {
    private static final double INF = Double.POSITIVE_INFINITY;

    @Test
    void fairShareFollowsWeightsDemandCapsAndAffinity() {
        // two hogs 1:2 on one pCPU
        double[] a = FairShare.compute(new double[] {256, 512}, new double[] {1, 1}, new int[] {0, 1},
                new CpuMask[] {CpuMask.of(0), CpuMask.of(0)}, CpuMask.of(0), new double[] {INF, INF});
        assertEquals(1 / 3.0, a[0], 1e-9);
        assertEquals(2 / 3.0, a[1], 1e-9);
        // a light vCPU keeps its demand, the rest is shared; a capped domain stops at its cap
        a = FairShare.compute(new double[] {256, 256, 256}, new double[] {0.1, 1, 1}, new int[] {0, 1, 2},
                new CpuMask[] {CpuMask.of(0, 1), CpuMask.of(0, 1), CpuMask.of(0, 1)}, CpuMask.of(0, 1), new double[] {INF, 0.2, INF});
        assertEquals(0.1, a[0], 1e-9);
        assertEquals(0.2, a[1], 1e-9);
        assertEquals(1.0, a[2], 1e-9);
        // two vCPUs pinned to pCPU 0, one free on 2 pCPUs: the free one gets pCPU 1
        a = FairShare.compute(new double[] {256, 256, 256}, new double[] {1, 1, 1}, new int[] {0, 1, 2},
                new CpuMask[] {CpuMask.of(0), CpuMask.of(0), CpuMask.of(0, 1)}, CpuMask.of(0, 1), new double[] {INF, INF, INF});
        assertEquals(0.5, a[0], 1e-9);
        assertEquals(0.5, a[1], 1e-9);
        assertEquals(1.0, a[2], 1e-9);
    }

    @Test
    void histogramQuantilesAreWithinATenthOfAPercent() {
        LatencyHistogram h = new LatencyHistogram();
        Random r = new Random(1);
        long[] v = new long[100_000];
        for (int i = 0; i < v.length; i++) {
            v[i] = (long) (Math.exp(r.nextGaussian() * 2 + 10));
            h.record(v[i]);
        }
        java.util.Arrays.sort(v);
        for (double q : new double[] {0.5, 0.9, 0.99, 0.999}) {
            long exact = v[(int) Math.ceil(q * v.length) - 1];
            assertEquals(exact, h.quantile(q), exact * 0.001 + 1, "q=" + q); // HdrHistogram, 3 significant digits
        }
        assertEquals(v[v.length - 1], h.max());
        assertEquals(1.0, h.fractionAtOrBelow(h.max()), 1e-12);
    }

    @Test
    void histogramKeepsTheTailBeyondAnHour() {
        LatencyHistogram h = new LatencyHistogram();
        for (int i = 0; i < 999; i++) h.record(1_000);
        long twoHours = 7_200_000_000_000L; // the old log-linear histogram clipped anything past ~36 min
        h.record(twoHours);
        assertEquals(twoHours, h.max());
        assertEquals(twoHours, h.quantile(0.9995), twoHours * 0.001);
        assertEquals(1_000, h.quantile(0.5), 1);
        double[][] cdf = h.cdf();
        assertEquals(1.0, cdf[cdf.length - 1][1], 1e-12);
        assertEquals(twoHours, cdf[cdf.length - 1][0], twoHours * 0.001);
    }

    @Test
    void durationsAndDemand() {
        assertEquals(9_500_000, Durations.parseNs("9.5ms", "x"));
        assertEquals(500_000, Durations.parseNs("500us", "x"));
        assertEquals(2_000_000_000L, Durations.parseNs("2s", "x"));
        assertThrows(IllegalArgumentException.class, () -> Durations.parseNs("2 parsecs", "x"));
        assertEquals(0.95, Durations.demand("run 9500us; sleep 500us"), 1e-12);
        assertEquals(1, Durations.demand("cpu"));
        assertEquals(0, Durations.demand("idle"));
        assertEquals(0.5, Durations.demand("run exp(2ms); sleep const(2ms)"), 1e-12);
        assertTrue(Durations.demand("run lognormal(1ms,1); sleep 1ms") > 0.5);
    }
}
