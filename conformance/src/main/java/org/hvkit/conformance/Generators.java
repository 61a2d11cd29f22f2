package org.hvkit.conformance;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.hvkit.api.domain.CpuMask;

/** Seeded random workloads and hosts, one generator per kind of scenario. */
final class Generators {
    private static final long MS = 1_000_000L;
    private static final String[] WORKLOADS = {
        "cpu", "cpu", "run 1ms; sleep 1ms", "run 200us; sleep 2ms", "run exp(1ms); sleep exp(4ms)",
        "run lognormal(2ms,0.5); sleep exp(3ms)", "run 3ms; sleep exp(1ms)", "run exp(500us); sleep exp(500us)",
    };
    private static final int[] WEIGHTS = {64, 128, 256, 384, 512, 768, 1024};

    private Generators() {
    }

    private static int between(SplittableRandom r, int lo, int hi) {
        return lo + r.nextInt(hi - lo + 1);
    }

    /** A non-empty random subset of the first {@code n} pCPUs: a range or scattered bits. */
    private static CpuMask subset(SplittableRandom r, int n) {
        if (r.nextBoolean()) {
            int a = r.nextInt(n), b = r.nextInt(n);
            return CpuMask.range(Math.min(a, b), Math.max(a, b));
        }
        CpuMask.Builder b = CpuMask.builder();
        b.set(r.nextInt(n));
        for (int c = 0; c < n; c++) if (r.nextInt(3) == 0) b.set(c);
        return b.build();
    }

    /** Mixed workloads, some pinned, some capped; with {@code churn}, late creations and toolstack operations. */
    static Scenario general(long seed, boolean churn) {
        SplittableRandom r = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + (churn ? 2 : 1));
        int sockets = between(r, 1, 2), cores = between(r, 1, 4), threads = between(r, 1, 2);
        int n = sockets * cores * threads;
        long duration = churn ? 1200 * MS : 1000 * MS;
        List<Scenario.DomainSpec> doms = new ArrayList<>();
        int count = between(r, 2, 5) + (churn ? between(r, 1, 2) : 0);
        for (int i = 0; i < count; i++) {
            int vcpus = between(r, 1, Math.min(4, n));
            int weight = r.nextInt(4) == 0 ? 0 : WEIGHTS[r.nextInt(WEIGHTS.length)];
            int cap = r.nextInt(7) == 0 ? between(r, 2, vcpus * 10 - 1) * 10 : 0;
            CpuMask cpus = r.nextInt(20) < 11 ? null : subset(r, n);
            String wl = WORKLOADS[r.nextInt(WORKLOADS.length)];
            long at = churn && i >= count - 2 && r.nextBoolean() ? between(r, 50, 700) * MS : 0;
            doms.add(new Scenario.DomainSpec((churn ? "c" : "g") + i, vcpus, weight, cap, cpus, wl, at));
        }
        List<Scenario.Op> ops = new ArrayList<>();
        if (churn) {
            int nops = between(r, 4, 10);
            for (int i = 0; i < nops; i++) {
                int d = r.nextInt(count);
                long at = between(r, 50, 800) * MS + r.nextInt(1000) * 1000L;
                Scenario.OpKind k = Scenario.OpKind.values()[r.nextInt(Scenario.OpKind.values().length)];
                if (k == Scenario.OpKind.DESTROY && r.nextBoolean()) k = Scenario.OpKind.PIN; // keep most domains alive
                ops.add(new Scenario.Op(at, k, d, r.nextInt(doms.get(d).vcpus()), subset(r, n), WEIGHTS[r.nextInt(WEIGHTS.length)]));
                if (k == Scenario.OpKind.PAUSE) ops.add(new Scenario.Op(at + between(r, 1, 200) * MS, Scenario.OpKind.UNPAUSE, d, 0, null, 0));
            }
            ops.sort((a, b) -> Long.compare(a.atNs(), b.atNs()));
        }
        return new Scenario(sockets, cores, threads, seed, duration, 0, doms, ops);
    }

    /**
     * More single-vCPU CPU hogs of random weights than the host has pCPUs (one; or, when
     * {@code wide}, 2 to 8 over one or two sockets), unpinned: the whole pool is saturated.
     */
    static Scenario weights(long seed, boolean wide) {
        SplittableRandom r = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + (wide ? 6 : 5));
        int sockets = wide ? between(r, 1, 2) : 1, cores = wide ? between(r, 1, 2) : 1, threads = wide ? (sockets * cores == 1 ? 2 : between(r, 1, 2)) : 1;
        int n = sockets * cores * threads;
        int k = n + between(r, 1, 3);
        List<Scenario.DomainSpec> doms = weightedHogs(r, k, null);
        // 20 s measured: a scheduler handing out whole 30 ms slices is then within a few slices of exact
        return new Scenario(sockets, cores, threads, seed, 21_000 * MS, 1000 * MS, doms, List.of());
    }

    /** CPU hogs of random weights, one vCPU each, all pinned to one to two pCPUs of one socket, which they saturate. */
    static Scenario weightsPinned(long seed) {
        SplittableRandom r = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + 3);
        int sockets = between(r, 1, 2), cores = between(r, 1, 2), threads = between(r, 1, 2);
        int perSocket = cores * threads;
        int width = between(r, 1, Math.min(2, perSocket));
        int socket = r.nextInt(sockets);
        int first = socket * perSocket + r.nextInt(perSocket - width + 1);
        CpuMask set = CpuMask.range(first, first + width - 1);
        int k = width + between(r, 1, 3);
        List<Scenario.DomainSpec> doms = weightedHogs(r, k, set);
        return new Scenario(sockets, cores, threads, seed, 6000 * MS, 1000 * MS, doms, List.of());
    }

    /** {@code k} single-vCPU CPU hogs w0, w1, ... of random weights, with hard affinity {@code cpus} (null: all). */
    private static List<Scenario.DomainSpec> weightedHogs(SplittableRandom r, int k, CpuMask cpus) {
        List<Scenario.DomainSpec> doms = new ArrayList<>();
        for (int i = 0; i < k; i++) doms.add(new Scenario.DomainSpec("w" + i, 1, WEIGHTS[r.nextInt(WEIGHTS.length)], 0, cpus, "cpu", 0));
        return doms;
    }

    /** One capped CPU-bound domain beside uncapped hogs, with a pCPU for every vCPU so the cap binds. */
    static Scenario caps(long seed) {
        SplittableRandom r = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + 4);
        int cores = between(r, 2, 4);
        int v = between(r, 1, Math.min(2, cores - 1));
        int cap = between(r, 2, v * 20 - 2) * 5;
        List<Scenario.DomainSpec> doms = new ArrayList<>();
        doms.add(new Scenario.DomainSpec("capped", v, r.nextBoolean() ? 0 : WEIGHTS[r.nextInt(WEIGHTS.length)], cap, null, "cpu", 0));
        int others = between(r, 0, cores - v);
        for (int i = 0; i < others; i++) doms.add(new Scenario.DomainSpec("hog" + i, 1, 0, 0, null, "cpu", 0));
        return new Scenario(1, cores, 1, seed, 4500 * MS, 500 * MS, doms, List.of());
    }
}
