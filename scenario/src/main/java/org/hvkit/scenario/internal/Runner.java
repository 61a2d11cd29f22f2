package org.hvkit.scenario.internal;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.hvkit.api.domain.CpuMask;
import org.hvkit.api.domain.DomainConfig;
import org.hvkit.api.domain.DomainInfo;
import org.hvkit.api.platform.HostTopology;
import org.hvkit.api.sched.SchedulerProvider;
import org.hvkit.api.toolstack.Hypervisor;
import org.hvkit.api.toolstack.PoolInfo;
import org.hvkit.scenario.internal.RunResult.CapError;
import org.hvkit.scenario.internal.RunResult.Row;
import org.hvkit.scenario.internal.RunResult.Series;
import org.hvkit.scenario.internal.ScenarioSpec.DomainSpec;
import org.hvkit.scenario.internal.ScenarioSpec.EventSpec;
import org.hvkit.scenario.internal.ScenarioSpec.PoolSpec;

/**
 * Runs one scenario variant: builds the simulation, creates pools and domains, advances virtual
 * time window by window (applying timed events on the way, printing progress on long runs) and
 * turns the collector's counters into a {@link RunResult}.
 */
public final class Runner {
    /** Per-domain latency histograms up to this many domains; above, one per group. */
    static final int PER_DOMAIN_HISTOGRAMS = 2000;
    /** Share-over-time series are kept for at most this many domains or groups. */
    static final int MAX_SERIES = 24;

    private final SchedulerRegistry registry;
    private final PrintStream progress;

    /** @param progress where progress lines go on long runs (stderr), or null for none */
    public Runner(SchedulerRegistry registry, PrintStream progress) {
        this.registry = registry;
        this.progress = progress;
    }

    /** One expanded domain. */
    private static final class Dom {
        final int idx, group;
        final String name;
        final DomainSpec spec;
        final CpuMask[] hard;
        /** Soft affinity of every vCPU, or null (none). */
        CpuMask soft;
        int domid = -1, weight, cap;
        boolean paused, dead;
        String pool;
        final double demand;

        Dom(int idx, int group, String name, DomainSpec spec, CpuMask[] hard, double demand) {
            this.idx = idx;
            this.group = group;
            this.name = name;
            this.spec = spec;
            this.hard = hard;
            this.demand = demand;
        }
    }

    public RunResult run(ScenarioSpec s, String variant) {
        long wall0 = System.nanoTime();
        ScenarioSpec.HostSpec h = s.host;
        HostTopology topo = HostTopology.of(h.sockets, h.cores, h.threads, h.nodes, parseBytes(h.memory));
        long measured = Durations.parseNs(s.duration, "duration");
        long warmup = Durations.parseNs(s.warmup, "warmup");
        if (measured <= 0) throw new IllegalArgumentException("duration must be positive");
        List<String> warnings = new ArrayList<>();

        // ---- pools and schedulers
        List<PoolSpec> pools = new ArrayList<>(s.pools);
        PoolSpec pool0 = pools.stream().filter(p -> p.name.equals("Pool-0")).findFirst().orElse(null);
        if (pool0 == null) {
            pool0 = new PoolSpec();
            pool0.scheduler = pools.isEmpty() ? "credit" : pools.get(0).scheduler;
            pools.add(0, pool0);
        }
        Map<String, CpuMask> poolCpus = new LinkedHashMap<>();
        CpuMask taken = CpuMask.EMPTY;
        for (PoolSpec p : pools) {
            if (p == pool0) continue;
            if (p.cpus == null) throw new IllegalArgumentException("pool " + p.name + " needs cpus");
            CpuMask m = topo.parseCpus(p.cpus);
            if (m.intersects(taken)) throw new IllegalArgumentException("pool " + p.name + " shares pCPUs with another pool");
            taken = taken.or(m);
            poolCpus.put(p.name, m);
        }
        CpuMask p0 = pool0.cpus == null ? topo.allCpus().andNot(taken) : topo.parseCpus(pool0.cpus);
        if (p0.isEmpty()) throw new IllegalArgumentException("Pool-0 has no pCPU left (Domain-0 lives there)");
        if (p0.intersects(taken)) throw new IllegalArgumentException("Pool-0 shares pCPUs with another pool");
        Map<String, CpuMask> pc = new LinkedHashMap<>();
        pc.put("Pool-0", p0);
        pc.putAll(poolCpus);
        final Map<String, CpuMask> poolCpusF = pc;

        Set<String> schedNames = new LinkedHashSet<>();
        schedNames.add(pool0.scheduler);
        for (PoolSpec p : pools) schedNames.add(p.scheduler);
        for (EventSpec e : s.events) if (e.scheduler != null) schedNames.add(e.scheduler);
        Map<String, SchedulerProvider> providers = new LinkedHashMap<>();
        for (String n : schedNames) {
            SchedulerProvider p = registry.find(n);
            if (p != null) providers.put(n, p);
        }

        // ---- domains
        List<Dom> doms = new ArrayList<>();
        List<String> groupNames = new ArrayList<>();
        for (DomainSpec d : s.domains) {
            int g = groupNames.size();
            groupNames.add(d.name);
            CpuMask[] pinEach = d.pinEach == null ? null : new CpuMask[] {topo.parseCpus(d.pinEach)};
            int[] pinCpus = pinEach == null ? null : pinEach[0].toArray();
            double demand = Durations.demand(d.workload);
            CpuMask soft = d.cpusSoft == null ? null : topo.parseCpus(d.cpusSoft);
            for (int i = 0; i < d.count; i++) {
                String name = d.count == 1 ? d.name : d.name + "-" + (i + 1);
                CpuMask base = d.cpus == null ? null : topo.parseCpus(d.cpus);
                if (pinCpus != null) base = CpuMask.of(pinCpus[i % pinCpus.length]);
                CpuMask[] hard = new CpuMask[d.vcpus];
                for (int v = 0; v < d.vcpus; v++) {
                    CpuMask m = d.vcpuCpus != null && v < d.vcpuCpus.size() ? topo.parseCpus(d.vcpuCpus.get(v)) : base;
                    hard[v] = m;
                }
                Dom dom = new Dom(doms.size(), g, name, d, hard, demand);
                dom.soft = soft;
                dom.pool = d.pool == null ? "Pool-0" : d.pool;
                if (!pc.containsKey(dom.pool)) throw new IllegalArgumentException("domain " + name + ": no pool " + dom.pool);
                dom.paused = d.paused;
                doms.add(dom);
            }
        }
        int nd = doms.size();
        boolean perDomainHist = nd <= PER_DOMAIN_HISTOGRAMS;
        int[] vcpus = new int[nd], slot = new int[nd];
        for (Dom d : doms) {
            vcpus[d.idx] = d.spec.vcpus;
            slot[d.idx] = perDomainHist ? d.idx : d.group;
        }
        Collector col = new Collector(topo, vcpus, slot, perDomainHist ? nd : groupNames.size());

        SchedulerProvider first = providers.get(pool0.scheduler);
        List<SchedulerProvider> scheds = new ArrayList<>();
        if (first != null) scheds.add(first);
        for (SchedulerProvider p : providers.values()) if (p != first) scheds.add(p);

        try (Rig sim = new Rig(topo, s.seed, col, first != null ? first.optName() : SchedulerRegistry.BUILT_IN, scheds)) {
            Hypervisor hv = sim.hypervisor();
            Map<String, Integer> poolIds = new HashMap<>();
            poolIds.put("Pool-0", 0);
            if (!taken.isEmpty()) hv.removePoolCpus(0, taken);
            if (!p0.equals(topo.allCpus().andNot(taken))) {
                CpuMask extra = topo.allCpus().andNot(taken).andNot(p0);
                if (!extra.isEmpty()) hv.removePoolCpus(0, extra);
            }
            for (PoolSpec p : pools) {
                int id;
                if (p == pool0) {
                    id = 0;
                } else {
                    PoolInfo info = hv.createPool(p.name, p.scheduler, pc.get(p.name));
                    id = info.id();
                    poolIds.put(p.name, id);
                }
                if (!p.params.isEmpty()) hv.setPoolSchedParams(id, p.params);
                if (p.watchdog != null) hv.setWatchdogNs(id, Durations.parseNs(p.watchdog, "pool " + p.name + " watchdog"));
            }
            Map<String, Long> defaultWeight = new HashMap<>();
            for (PoolSpec p : pools) {
                Map<String, Long> dp = hv.domainSchedParams(0);
                SchedulerProvider pr = providers.get(p.scheduler);
                long w = pr != null && pr.defaultDomainParams().containsKey("weight") ? pr.defaultDomainParams().get("weight") : dp.getOrDefault("weight", 256L);
                defaultWeight.put(p.name, w);
            }
            for (Dom d : doms) {
                DomainSpec ds = d.spec;
                boolean perVcpu = ds.vcpuCpus != null || ds.pinEach != null;
                DomainConfig.Builder cb = DomainConfig.builder(d.name).vcpus(ds.vcpus).memoryMb(ds.memory)
                        .weight(ds.weight).cap(ds.cap).pool(d.pool.equals("Pool-0") ? null : d.pool).startPaused(ds.paused)
                        .platformOptions(Map.of("workload", ds.workload)).cpusSoft(d.soft);
                if (perVcpu) cb.vcpuCpus(d.hard);
                else if (d.hard[0] != null) cb.cpus(d.hard[0]);
                DomainInfo info = hv.createDomain(cb.build());
                d.domid = info.id();
                col.bind(d.domid, d.idx);
                if (!ds.params.isEmpty()) hv.setDomainSchedParams(d.domid, ds.params);
                Map<String, Long> sp = hv.domainSchedParams(d.domid);
                d.weight = (int) (long) sp.getOrDefault("weight", defaultWeight.get(d.pool));
                d.cap = (int) (long) sp.getOrDefault("cap", 0L);
            }

            // ---- windows
            long shareWin = Durations.parseNs(s.metrics.window, "metrics.window");
            boolean anyCap = doms.stream().anyMatch(d -> d.cap > 0) || s.events.stream().anyMatch(e -> e.cap != null && e.cap > 0);
            List<Long> capWins = new ArrayList<>();
            if (anyCap) for (String w : s.metrics.capWindows) capWins.add(Durations.parseNs(w, "metrics.cap_windows"));
            long base = shareWin;
            for (long w : capWins) base = Math.min(base, w);
            base = Math.max(base, 1000);
            List<EventSpec> events = new ArrayList<>(s.events);
            long[] eventAt = new long[events.size()];
            for (int i = 0; i < events.size(); i++) eventAt[i] = Durations.parseNs(events.get(i).at, "event at");
            Integer[] eventOrder = new Integer[events.size()];
            for (int i = 0; i < eventOrder.length; i++) eventOrder[i] = i;
            Arrays.sort(eventOrder, Comparator.comparingLong(i -> eventAt[i]));

            double[] fairNow = new double[nd], fairInt = new double[nd];
            Runnable refair = () -> computeFair(doms, poolCpusF, fairNow);
            refair.run();

            long end = warmup + measured;
            long t = 0, lastFairT = 0;
            int ei = 0;
            long lastPrint = System.nanoTime(), startPrint = lastPrint;
            boolean printed = false;
            boolean measuring = false;
            long[] cumAtStart = new long[nd];
            double[] fairAtStart = new double[nd];
            // share level
            long[] shareSnap = new long[nd];
            double[] fairSnap = new double[nd];
            double[] errSum = new double[nd], errMax = new double[nd];
            long[] errN = new long[nd];
            LatencyHistogram errHist = new LatencyHistogram(); // relative error x 1e6
            // cap levels
            int nl = capWins.size();
            long[][] capSnap = new long[nl][nd];
            Map<Integer, double[]>[] capBuf = newCapBufs(nl);
            Map<Integer, Integer>[] capLen = newCapLens(nl);
            // series
            boolean seriesPerDomain = nd <= Math.min(MAX_SERIES, s.metrics.perDomainLimit);
            int ns = seriesPerDomain ? nd : Math.min(groupNames.size(), MAX_SERIES);
            int nWin = (int) Math.min(Integer.MAX_VALUE - 8, measured / shareWin + 1);
            int keepWin = Math.min(nWin, 100_000);
            double[][] series = new double[ns][keepWin], seriesFair = new double[ns][keepWin];
            int[] seriesN = new int[ns];
            int[] groupSize = new int[groupNames.size()];
            for (Dom d : doms) groupSize[d.group]++;
            int w = 0;

            while (t < end) {
                long next = Math.min(end, (t / base + 1) * base);
                if (!measuring && warmup > t && warmup < next) next = warmup;
                while (ei < eventOrder.length && eventAt[eventOrder[ei]] <= t) {
                    EventSpec e = events.get(eventOrder[ei++]);
                    applyEvent(hv, topo, e, doms, poolIds, col, warnings);
                    for (int d = 0; d < nd; d++) fairInt[d] += fairNow[d] * (t - lastFairT);
                    lastFairT = t;
                    refair.run();
                }
                if (ei < eventOrder.length && eventAt[eventOrder[ei]] < next) next = eventAt[eventOrder[ei]];
                sim.runUntil(next);
                t = next;
                for (int d = 0; d < nd; d++) fairInt[d] += fairNow[d] * (t - lastFairT);
                lastFairT = t;
                col.flush(t);
                if (!measuring && t >= warmup) {
                    measuring = true;
                    col.startMeasuring(t);
                    System.arraycopy(col.cum, 0, cumAtStart, 0, nd);
                    System.arraycopy(col.cum, 0, shareSnap, 0, nd);
                    System.arraycopy(fairInt, 0, fairSnap, 0, nd);
                    System.arraycopy(fairInt, 0, fairAtStart, 0, nd);
                    for (int l = 0; l < nl; l++) System.arraycopy(col.cum, 0, capSnap[l], 0, nd);
                } else if (measuring) {
                    long since = t - warmup;
                    if (since % shareWin == 0) {
                        for (int d = 0; d < nd; d++) {
                            double got = (double) (col.cum[d] - shareSnap[d]) / shareWin;
                            double fair = (fairInt[d] - fairSnap[d]) / shareWin;
                            shareSnap[d] = col.cum[d];
                            fairSnap[d] = fairInt[d];
                            if (fair > 1e-9) {
                                double err = Math.abs(got - fair) / fair;
                                errSum[d] += err;
                                errN[d]++;
                                errMax[d] = Math.max(errMax[d], err);
                                errHist.record(Math.round(err * 1e6));
                            }
                            if (w < keepWin) {
                                int si = seriesPerDomain ? d : doms.get(d).group;
                                if (si < ns) {
                                    double div = seriesPerDomain ? 1 : groupSize[si];
                                    series[si][w] += got / div;
                                    seriesFair[si][w] += fair / div;
                                }
                            }
                        }
                        if (w < keepWin) for (int si = 0; si < ns; si++) seriesN[si] = w + 1;
                        w++;
                    }
                    for (int l = 0; l < nl; l++) {
                        long size = capWins.get(l);
                        if (since % size != 0) continue;
                        for (Dom d : doms) {
                            if (d.cap <= 0 || d.dead) continue;
                            double pct = (double) (col.cum[d.idx] - capSnap[l][d.idx]) / size * 100;
                            double err = (pct - d.cap) / d.cap;
                            int len = capLen[l].getOrDefault(d.idx, 0);
                            double[] buf = capBuf[l].get(d.idx);
                            if (buf == null || len == buf.length) {
                                buf = buf == null ? new double[64] : Arrays.copyOf(buf, buf.length * 2);
                                capBuf[l].put(d.idx, buf);
                            }
                            buf[len] = err;
                            capLen[l].put(d.idx, len + 1);
                        }
                        System.arraycopy(col.cum, 0, capSnap[l], 0, nd);
                    }
                }
                if (progress != null) {
                    long now = System.nanoTime();
                    if (now - lastPrint >= 1_000_000_000L) {
                        lastPrint = now;
                        printed = true;
                        progress.printf(Locale.ROOT, "\r  %s%s: %3.0f%% of %s virtual, %.1f s wall   ", s.name,
                                variant.isEmpty() ? "" : "/" + variant, 100.0 * t / end, Durations.format(end), (now - startPrint) / 1e9);
                        progress.flush();
                    }
                }
            }
            if (printed) progress.println();
            double wall = (System.nanoTime() - wall0) / 1e9;
            for (String line : hv.readConsole(false)) {
                if (line.contains("evicted") || line.contains("watchdog") || line.contains("failed")) warnings.add("console: " + line);
            }
            return result(s, variant, pools, topo, doms, groupNames, col, cumAtStart, fairInt, fairAtStart, measured, warmup, wall,
                    errSum, errMax, errN, errHist, capWins, capBuf, capLen, series, seriesFair, seriesN, seriesPerDomain, shareWin, warnings, sim);
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<Integer, double[]>[] newCapBufs(int n) {
        Map<Integer, double[]>[] m = new Map[n];
        for (int i = 0; i < n; i++) m[i] = new HashMap<>();
        return m;
    }

    @SuppressWarnings("unchecked")
    private static Map<Integer, Integer>[] newCapLens(int n) {
        Map<Integer, Integer>[] m = new Map[n];
        for (int i = 0; i < n; i++) m[i] = new HashMap<>();
        return m;
    }

    private static void computeFair(List<Dom> doms, Map<String, CpuMask> poolCpus, double[] out) {
        Arrays.fill(out, 0);
        for (var pe : poolCpus.entrySet()) {
            List<Dom> in = new ArrayList<>();
            int n = 0;
            for (Dom d : doms) {
                if (d.dead || d.paused || !d.pool.equals(pe.getKey())) continue;
                in.add(d);
                n += d.hard.length;
            }
            if (n == 0) continue;
            double[] w = new double[n], dem = new double[n];
            int[] dom = new int[n];
            CpuMask[] mask = new CpuMask[n];
            double[] cap = new double[doms.size()];
            Arrays.fill(cap, Double.POSITIVE_INFINITY);
            int i = 0;
            for (Dom d : in) {
                if (d.cap > 0) cap[d.idx] = d.cap / 100.0;
                for (int v = 0; v < d.hard.length; v++, i++) {
                    w[i] = Math.max(1, d.weight);
                    dem[i] = d.demand;
                    dom[i] = d.idx;
                    mask[i] = d.hard[v] == null ? pe.getValue() : d.hard[v].and(pe.getValue());
                }
            }
            double[] a = FairShare.compute(w, dem, dom, mask, pe.getValue(), cap);
            for (int k = 0; k < n; k++) out[dom[k]] += a[k];
        }
    }

    private static void applyEvent(Hypervisor hv, HostTopology topo, EventSpec e, List<Dom> doms, Map<String, Integer> poolIds, Collector col, List<String> warnings) {
        String action = e.action == null ? "" : e.action.toLowerCase(Locale.ROOT);
        List<Dom> targets = new ArrayList<>();
        if (e.domain != null) {
            for (Dom d : doms) if (!d.dead && (d.name.equals(e.domain) || d.spec.name.equals(e.domain))) targets.add(d);
            if (targets.isEmpty()) throw new IllegalArgumentException("event at " + e.at + ": no domain " + e.domain);
        }
        switch (action) {
            case "set" -> {
                Map<String, Long> p = new HashMap<>();
                if (e.weight != null) p.put("weight", (long) e.weight);
                if (e.cap != null) p.put("cap", (long) e.cap);
                if (e.params != null) p.putAll(e.params);
                for (Dom d : targets) {
                    hv.setDomainSchedParams(d.domid, p);
                    if (e.weight != null) d.weight = e.weight;
                    if (e.cap != null) d.cap = e.cap;
                }
            }
            case "pin" -> {
                for (Dom d : targets) {
                    CpuMask m = e.cpus == null || e.cpus.equals("all") ? null : topo.parseCpus(e.cpus);
                    hv.pinVcpu(d.domid, e.vcpu, m == null ? topo.allCpus() : m);
                    for (int v = 0; v < d.hard.length; v++) if (e.vcpu < 0 || e.vcpu == v) d.hard[v] = m;
                }
            }
            case "pause" -> targets.forEach(d -> { hv.pauseDomain(d.domid); d.paused = true; });
            case "unpause" -> targets.forEach(d -> { hv.unpauseDomain(d.domid); d.paused = false; });
            case "destroy" -> targets.forEach(d -> { hv.destroyDomain(d.domid); d.dead = true; col.unbind(d.domid); });
            case "pool-params" -> hv.setPoolSchedParams(poolId(e, poolIds), e.params == null ? Map.of() : e.params);
            case "switch" -> {
                long pauseNs = hv.switchScheduler(poolId(e, poolIds), e.scheduler);
                warnings.add(String.format(Locale.ROOT, "event at %s: pool %s switched to %s (paused %.1f us of wall time)", e.at,
                        e.pool == null ? "Pool-0" : e.pool, e.scheduler, pauseNs / 1e3));
            }
            default -> throw new IllegalArgumentException("event at " + e.at + ": unknown action '" + e.action
                    + "' (set, pin, pause, unpause, destroy, pool-params, switch)");
        }
    }

    private static int poolId(EventSpec e, Map<String, Integer> poolIds) {
        Integer id = poolIds.get(e.pool == null ? "Pool-0" : e.pool);
        if (id == null) throw new IllegalArgumentException("event at " + e.at + ": no pool " + e.pool);
        return id;
    }

    private RunResult result(ScenarioSpec s, String variant, List<PoolSpec> pools, HostTopology topo, List<Dom> doms, List<String> groupNames,
            Collector col, long[] cumAtStart, double[] fairInt, double[] fairAtStart, long measured, long warmup, double wall,
            double[] errSum, double[] errMax, long[] errN, LatencyHistogram errHist, List<Long> capWins,
            Map<Integer, double[]>[] capBuf, Map<Integer, Integer>[] capLen, double[][] series, double[][] seriesFair, int[] seriesN,
            boolean seriesPerDomain, long shareWin, List<String> warnings, Rig sim) {
        int nd = doms.size();
        double sec = measured / 1e9;
        List<Row> rows = new ArrayList<>();
        boolean perDomainHist = col.lat.length == nd && nd <= PER_DOMAIN_HISTOGRAMS;
        double[] fairMeasured = new double[nd];
        for (Dom d : doms) fairMeasured[d.idx] = (fairInt[d.idx] - fairAtStart[d.idx]) / measured;
        for (Dom d : doms) {
            double share = (col.cum[d.idx] - cumAtStart[d.idx]) / (double) measured;
            double fair = fairMeasured[d.idx];
            LatencyHistogram h = perDomainHist ? col.lat[d.idx] : null;
            rows.add(row(d.name, d.spec.name, 1, d.hard.length, d.weight, d.cap, d.demand, share, fair, h,
                    col.latCount[d.idx], col.latCount[d.idx] == 0 ? 0 : col.latSum[d.idx] / col.latCount[d.idx], col.latMax[d.idx],
                    col.blocks[d.idx] / sec, col.runs[d.idx] / sec, col.preempts[d.idx] / sec, col.yields[d.idx] / sec,
                    col.migrations[d.idx] / sec, col.crossSocket[d.idx] / sec,
                    errN[d.idx] == 0 ? 0 : errSum[d.idx] / errN[d.idx], errMax[d.idx], capErrors(d.idx, capWins, capBuf, capLen)));
        }
        List<Row> groups = new ArrayList<>();
        for (int g = 0; g < groupNames.size(); g++) {
            List<Row> members = new ArrayList<>();
            LatencyHistogram h = new LatencyHistogram();
            long latN = 0, latMax = 0;
            double latSum = 0;
            for (Dom d : doms) {
                if (d.group != g) continue;
                members.add(rows.get(d.idx));
                latN += col.latCount[d.idx];
                latSum += col.latSum[d.idx];
                latMax = Math.max(latMax, col.latMax[d.idx]);
                if (perDomainHist) h.add(col.lat[d.idx]);
            }
            if (!perDomainHist) h = col.lat[g];
            int m = members.size();
            Row f = members.get(0);
            double share = members.stream().mapToDouble(Row::share).sum() / m;
            double fair = members.stream().mapToDouble(Row::fair).sum() / m;
            Map<String, CapError> ce = new LinkedHashMap<>();
            for (String k : f.capError().keySet()) {
                List<CapError> l = members.stream().map(r -> r.capError().get(k)).filter(x -> x != null).toList();
                ce.put(k, new CapError(l.stream().mapToInt(CapError::windows).sum(), l.stream().mapToDouble(CapError::meanAbs).average().orElse(0),
                        l.stream().mapToDouble(CapError::p99Abs).max().orElse(0), l.stream().mapToDouble(CapError::min).min().orElse(0),
                        l.stream().mapToDouble(CapError::max).max().orElse(0)));
            }
            groups.add(row(groupNames.get(g), groupNames.get(g), m, f.vcpus(), f.weight(), f.cap(), f.demand(), share, fair, h,
                    latN, latN == 0 ? 0 : latSum / latN, latMax,
                    sumOf(members, Row::cyclesPerS) / m, sumOf(members, Row::contextSwitchesPerS) / m, sumOf(members, Row::preemptionsPerS) / m,
                    sumOf(members, Row::yieldsPerS) / m, sumOf(members, Row::migrationsPerS) / m, sumOf(members, Row::crossSocketMigrationsPerS) / m,
                    members.stream().mapToDouble(Row::shareErrMean).average().orElse(0), members.stream().mapToDouble(Row::shareErrMax).max().orElse(0), ce));
        }
        // overall
        double sx = 0, sxx = 0;
        int jn = 0;
        for (Row r : rows) {
            if (r.fair() > 1e-9) {
                double x = r.share() / r.fair();
                sx += x;
                sxx += x * x;
                jn++;
            }
        }
        double jain = jn == 0 || sxx == 0 ? 1 : sx * sx / (jn * sxx);
        long cs = 0, mig = 0, lat = 0;
        double used = 0;
        for (Dom d : doms) {
            cs += col.runs[d.idx];
            mig += col.migrations[d.idx];
            used += rows.get(d.idx).share();
        }
        double errMean = 0;
        long en = 0;
        for (int d = 0; d < nd; d++) {
            errMean += errSum[d];
            en += errN[d];
        }
        LatencyHistogram tot = col.total;
        lat = tot.count();
        var overall = new RunResult.Overall(jain, en == 0 ? 0 : errMean / en, errHist.quantile(0.99) / 1e6, lat,
                tot.quantile(0.5) / 1e3, tot.quantile(0.9) / 1e3, tot.quantile(0.99) / 1e3, tot.quantile(0.999) / 1e3, tot.max() / 1e3,
                cs / sec, cs / sec / topo.nrCpus(), mig / sec, used / topo.nrCpus());
        // series
        List<Series> out = new ArrayList<>();
        for (int si = 0; si < series.length; si++) {
            String name = seriesPerDomain ? doms.get(si).name : groupNames.get(si);
            out.add(new Series(name, shareWin / 1e9, Arrays.copyOf(series[si], seriesN[si]), Arrays.copyOf(seriesFair[si], seriesN[si])));
        }
        Map<String, double[][]> cdf = new LinkedHashMap<>();
        boolean cdfPerDomain = nd <= Math.min(MAX_SERIES, s.metrics.perDomainLimit) && perDomainHist;
        if (cdfPerDomain) {
            for (Dom d : doms) if (col.lat[d.idx].count() > 0) cdf.put(d.name, col.lat[d.idx].cdf());
        } else {
            for (Row g : groups) {
                LatencyHistogram h = groupHist(g.name(), groupNames, doms, col, perDomainHist);
                if (h.count() > 0 && cdf.size() < MAX_SERIES) cdf.put(g.name(), h.cdf());
            }
        }
        Map<String, String> scheds = new LinkedHashMap<>();
        for (PoolInfo p : sim.hypervisor().pools()) scheds.put(p.name(), p.scheduler());
        int nv = doms.stream().mapToInt(d -> d.hard.length).sum();
        return new RunResult(s.name, variant, scheds, s.seed, topo.toString(), topo.nrCpus(), nd, nv, sec, warmup / 1e9, wall,
                col.events, col.events / Math.max(wall, 1e-9), overall, groups, rows, out, cdf, warnings);
    }

    private static LatencyHistogram groupHist(String name, List<String> groupNames, List<Dom> doms, Collector col, boolean perDomainHist) {
        int g = groupNames.indexOf(name);
        if (!perDomainHist) return col.lat[g];
        LatencyHistogram h = new LatencyHistogram();
        for (Dom d : doms) if (d.group == g) h.add(col.lat[d.idx]);
        return h;
    }

    private static double sumOf(List<Row> rows, java.util.function.ToDoubleFunction<Row> f) {
        return rows.stream().mapToDouble(f).sum();
    }

    private static Map<String, CapError> capErrors(int d, List<Long> capWins, Map<Integer, double[]>[] capBuf, Map<Integer, Integer>[] capLen) {
        Map<String, CapError> m = new LinkedHashMap<>();
        for (int l = 0; l < capWins.size(); l++) {
            double[] buf = capBuf[l].get(d);
            if (buf == null) continue;
            int n = capLen[l].get(d);
            double[] v = Arrays.copyOf(buf, n);
            double[] abs = new double[n];
            double min = Double.POSITIVE_INFINITY, max = Double.NEGATIVE_INFINITY, sa = 0;
            for (int i = 0; i < n; i++) {
                abs[i] = Math.abs(v[i]);
                sa += abs[i];
                min = Math.min(min, v[i]);
                max = Math.max(max, v[i]);
            }
            Arrays.sort(abs);
            double p99 = abs[Math.min(n - 1, (int) Math.ceil(0.99 * n) - 1)];
            m.put(Durations.format(capWins.get(l)).replace(" ", ""), new CapError(n, sa / n, p99, min, max));
        }
        return m;
    }

    private static Row row(String name, String group, int domains, int vcpus, int weight, int cap, double demand, double share, double fair,
            LatencyHistogram h, long latN, double latMean, long latMax, double cycles, double cs, double pre, double yi, double mig, double xs,
            double errMean, double errMax, Map<String, CapError> capErr) {
        double ratio = fair > 1e-9 ? share / fair : Double.NaN;
        if (latN == 0) h = null;
        double p50 = h == null ? Double.NaN : h.quantile(0.5) / 1e3, p90 = h == null ? Double.NaN : h.quantile(0.9) / 1e3;
        double p99 = h == null ? Double.NaN : h.quantile(0.99) / 1e3, p999 = h == null ? Double.NaN : h.quantile(0.999) / 1e3;
        return new Row(name, group, domains, vcpus, weight, cap, demand, share, fair, ratio, latN, latMean / 1e3, p50, p90, p99, p999, latMax / 1e3,
                cycles, cs, pre, yi, mig, xs, errMean, errMax, capErr);
    }

    static long parseBytes(String s) {
        String t = s.strip().toUpperCase(Locale.ROOT);
        long mul = 1;
        char c = t.charAt(t.length() - 1);
        if (c == 'K' || c == 'M' || c == 'G' || c == 'T') {
            mul = switch (c) { case 'K' -> 1L << 10; case 'M' -> 1L << 20; case 'G' -> 1L << 30; default -> 1L << 40; };
            t = t.substring(0, t.length() - 1);
        }
        return Long.parseLong(t) * mul;
    }
}
