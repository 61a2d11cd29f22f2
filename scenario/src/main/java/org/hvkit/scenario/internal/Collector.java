package org.hvkit.scenario.internal;

import java.util.Arrays;
import org.hvkit.api.platform.HostTopology;
import org.hvkit.core.internal.TraceListener;

/**
 * Turns the trace stream into metrics as it flows (nothing of the trace is kept): CPU time per
 * domain (RUN to DESCHEDULE on each pCPU), wake latency (WAKE to the vCPU's next RUN), context
 * switches (RUN), preemptions (DESCHEDULE of a vCPU that did not block), yields, migrations
 * (MIGRATE; cross-socket ones apart), completed run phases (BLOCK). Counters restart when
 * {@link #startMeasuring} is called at the end of the warm-up. Runs in machine context (one thread).
 */
public final class Collector implements TraceListener {
    final int nd, nv;
    private final int[] vbase, vdom;
    private int[] domIdxOf = new int[0];
    private final int[] socketOf;
    // per vCPU
    private final long[] wakeAt;
    private final int[] lastCpu;
    private final boolean[] blockedSinceRun;
    // per pCPU
    private final int[] cur;
    private final long[] runStart;
    // per domain
    final long[] cum, runs, preempts, yields, migrations, crossSocket, blocks, wakes, latMax, latCount;
    final double[] latSum;
    final LatencyHistogram[] lat;
    final LatencyHistogram total = new LatencyHistogram();
    private final int[] histSlot;
    long events;
    private boolean measuring;
    private long measureStart;

    /**
     * @param vcpusPerDomain vCPUs of each domain index
     * @param histSlot       per domain index, which latency histogram it feeds (its own, or its group's)
     * @param slots          number of histograms
     */
    public Collector(HostTopology topo, int[] vcpusPerDomain, int[] histSlot, int slots) {
        nd = vcpusPerDomain.length;
        vbase = new int[nd + 1];
        for (int d = 0; d < nd; d++) vbase[d + 1] = vbase[d] + vcpusPerDomain[d];
        nv = vbase[nd];
        vdom = new int[nv];
        for (int d = 0; d < nd; d++) for (int v = vbase[d]; v < vbase[d + 1]; v++) vdom[v] = d;
        int n = topo.nrCpus();
        socketOf = new int[n];
        for (int c = 0; c < n; c++) socketOf[c] = topo.socketOf(c);
        wakeAt = new long[nv];
        Arrays.fill(wakeAt, -1);
        lastCpu = new int[nv];
        Arrays.fill(lastCpu, -1);
        blockedSinceRun = new boolean[nv];
        cur = new int[n];
        Arrays.fill(cur, -1);
        runStart = new long[n];
        cum = new long[nd];
        runs = new long[nd];
        preempts = new long[nd];
        yields = new long[nd];
        migrations = new long[nd];
        crossSocket = new long[nd];
        blocks = new long[nd];
        wakes = new long[nd];
        latMax = new long[nd];
        latCount = new long[nd];
        latSum = new double[nd];
        this.histSlot = histSlot.clone();
        lat = new LatencyHistogram[slots];
        for (int i = 0; i < slots; i++) lat[i] = new LatencyHistogram();
    }

    /** Maps a domid to its domain index (call right after creating the domain). */
    public void bind(int domid, int domIdx) {
        if (domid >= domIdxOf.length) {
            int old = domIdxOf.length;
            domIdxOf = Arrays.copyOf(domIdxOf, Math.max(domid + 1, old * 2 + 16));
            Arrays.fill(domIdxOf, old, domIdxOf.length, -1);
        }
        domIdxOf[domid] = domIdx;
    }

    /** The domain stops existing (destroyed): its domid may not be reused for it. */
    public void unbind(int domid) {
        if (domid < domIdxOf.length) domIdxOf[domid] = -1;
    }

    @Override
    public void event(long t, Kind kind, int cpu, int domid, int vcpu) {
        if (domid >= domIdxOf.length) return;
        int d = domIdxOf[domid];
        if (d < 0) return;
        int v = vbase[d] + vcpu;
        events++;
        switch (kind) {
            case WAKE -> {
                wakeAt[v] = t;
                if (measuring) wakes[d]++;
            }
            case BLOCK -> {
                wakeAt[v] = -1;
                blockedSinceRun[v] = true;
                if (measuring) blocks[d]++;
            }
            case RUN -> {
                if (cur[cpu] >= 0) close(cpu, t); // defensive: a RUN without DESCHEDULE
                cur[cpu] = v;
                runStart[cpu] = t;
                blockedSinceRun[v] = false;
                lastCpu[v] = cpu;
                long w = wakeAt[v];
                wakeAt[v] = -1;
                if (measuring) {
                    runs[d]++;
                    if (w >= 0 && w >= measureStart) {
                        long l = t - w;
                        lat[histSlot[d]].record(l);
                        total.record(l);
                        latSum[d] += l;
                        latCount[d]++;
                        if (l > latMax[d]) latMax[d] = l;
                    }
                }
            }
            case DESCHEDULE -> {
                if (cur[cpu] == v) close(cpu, t);
                if (measuring && !blockedSinceRun[v]) preempts[d]++; // taken off while still runnable
            }
            case YIELD -> {
                if (measuring) yields[d]++;
            }
            case MIGRATE -> {
                if (measuring) {
                    migrations[d]++;
                    int from = lastCpu[v];
                    if (from >= 0 && from < socketOf.length && socketOf[from] != socketOf[cpu]) crossSocket[d]++;
                }
                lastCpu[v] = cpu;
            }
        }
    }

    private void close(int cpu, long t) {
        int v = cur[cpu];
        cum[vdom[v]] += t - runStart[cpu];
        cur[cpu] = -1;
    }

    /** Brings {@link #cum} up to {@code t}, charging running vCPUs for what they ran so far. */
    public void flush(long t) {
        for (int c = 0; c < cur.length; c++) {
            int v = cur[c];
            if (v < 0) continue;
            cum[vdom[v]] += t - runStart[c];
            runStart[c] = t;
        }
    }

    /** Ends the warm-up at {@code t}: every counter restarts (CPU time is read as differences). */
    public void startMeasuring(long t) {
        measuring = true;
        measureStart = t;
        Arrays.fill(runs, 0);
        Arrays.fill(preempts, 0);
        Arrays.fill(yields, 0);
        Arrays.fill(migrations, 0);
        Arrays.fill(crossSocket, 0);
        Arrays.fill(blocks, 0);
        Arrays.fill(wakes, 0);
    }

    public int vcpuBase(int d) {
        return vbase[d];
    }
}
