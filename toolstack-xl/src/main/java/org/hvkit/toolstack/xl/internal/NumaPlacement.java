package org.hvkit.toolstack.xl.internal;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import org.hvkit.api.domain.CpuMask;
import org.hvkit.api.domain.DomainConfig;
import org.hvkit.api.domain.DomainInfo;
import org.hvkit.api.domain.VcpuInfo;
import org.hvkit.api.platform.HostTopology;
import org.hvkit.api.toolstack.Hypervisor;

/**
 * Xen 4.2's automatic NUMA placement (libxl_numa.c libxl__get_numa_candidate with libxl_dom.c's
 * numa_cmpf and numa_place_domain), which xl's create applies when xl.cfg gives no cpus=.
 * Candidates are sets of the pool's nodes, tried by size from ceil(vcpus / cpus per node) up,
 * each size in lexicographic order; the first size with a candidate that has the free memory and
 * the pCPUs ends the search; within it fewer vCPUs (of every domain, whose hard affinity touches
 * the candidate's nodes) wins, then more free memory, then the earlier one.
 */
final class NumaPlacement {
    /** libxl's safety catch: above this many nodes the enumeration is skipped. */
    static final int MAX_NODES = 16;

    /** A chosen candidate: its nodes, the pool's pCPUs on them, what libxl compared. */
    record Candidate(List<Integer> nodes, CpuMask cpus, int nrCpus, int nrVcpus, long freeMemKb) { }

    /** What placement decided: a candidate, or none with the message libxl logs (at notice or warning level). */
    record Result(Candidate chosen, String message, String level) {
        /** libxl's LOG(DETAIL, ...) after a choice, shown by {@code xl -v}. */
        String detail() {
            // 4.2 prints free_memkb / 1024 under the label "KB"; kept as it prints
            return "NUMA placement candidate with " + chosen.nodes().size() + " nodes, " + chosen.nrCpus() + " cpus and " + chosen.freeMemKb() / 1024 + " KB free selected";
        }
    }

    private NumaPlacement() {
    }

    /**
     * libxl_domain_need_memory for a PV domain: target + shadow (libxl_get_required_shadow_memory:
     * 4 * (256 per vCPU + 2 per MiB of maxmem) KiB) + LIBXL_PV_EXTRA_MEMORY (1024 KiB), rounded up to 2 MiB.
     */
    static long needMemKb(long memoryMb, long maxMemoryMb, int maxVcpus) {
        long kb = memoryMb * 1024 + 4L * (256L * maxVcpus + 2L * maxMemoryMb) + 1024;
        if (kb % 2048 != 0) kb += 2048 - kb % 2048;
        return kb;
    }

    /**
     * @param topo          the host
     * @param poolCpus      the domain's pool's pCPUs (only their nodes are suitable)
     * @param freeKbPerNode the hypervisor's free memory per node, KiB
     * @param affinities    the hard affinity of every vCPU of every domain now
     * @param needKb        {@link #needMemKb}
     * @param maxVcpus      the new domain's vCPUs (min_cpus)
     */
    static Result place(HostTopology topo, CpuMask poolCpus, long[] freeKbPerNode, List<CpuMask> affinities, long needKb, int maxVcpus) {
        int nrNodes = topo.nrNodes();
        if (nrNodes > MAX_NODES) {
            return new Result(null, "System has " + nrNodes + " NUMA nodes, which is too big for the placement algorithm to work effectively: skipping it. "
                    + "Consider manually pinning the vCPUs and/or looking at cpupools for manually partitioning the system.", "warning");
        }
        List<Integer> suitable = new ArrayList<>();
        for (int n = 0; n < nrNodes; n++) if (topo.nodeCpus(n).intersects(poolCpus)) suitable.add(n);
        int perNode = cpusPerNode(topo);
        int minNodes = perNode == 0 ? 1 : (maxVcpus + perNode - 1) / perNode;
        int maxNodes = suitable.size();
        if (minNodes > maxNodes) minNodes = maxNodes;
        Candidate best = null;
        for (int k = minNodes; k <= maxNodes && best == null && k > 0; k++) {
            int[] it = new int[k];
            for (int i = 0; i < k; i++) it[i] = i;
            do {
                List<Integer> nodes = new ArrayList<>(k);
                CpuMask nodeCpus = CpuMask.EMPTY;
                long free = 0;
                for (int i : it) {
                    int n = suitable.get(i);
                    nodes.add(n);
                    nodeCpus = nodeCpus.or(topo.nodeCpus(n));
                    free += freeKbPerNode[n];
                }
                if (needKb > 0 && free < needKb) continue;
                CpuMask cpus = nodeCpus.and(poolCpus);
                int nrCpus = cpus.cardinality();
                if (maxVcpus > 0 && nrCpus < maxVcpus) continue;
                int vcpus = 0;
                for (CpuMask a : affinities) if (a.intersects(nodeCpus)) vcpus++;
                Candidate c = new Candidate(List.copyOf(nodes), cpus, nrCpus, vcpus, free);
                if (best == null || compare(c, best) < 0) best = c;
            } while (next(it, suitable.size()));
        }
        if (best == null) return new Result(null, "NUMA placement failed, performance might be affected", "notice");
        return new Result(best, null, "detail");
    }

    /** numa_cmpf: fewer vCPUs first, then more free memory. */
    static int compare(Candidate a, Candidate b) {
        if (a.nrVcpus() != b.nrVcpus()) return Integer.compare(a.nrVcpus(), b.nrVcpus());
        return Long.compare(b.freeMemKb(), a.freeMemKb());
    }

    /** count_cpus_per_node: the pCPUs per node when every node has as many, else 0. */
    static int cpusPerNode(HostTopology topo) {
        int per = 0;
        for (int n = 0; n < topo.nrNodes(); n++) {
            int c = topo.nodeCpus(n).cardinality();
            if (per == 0) per = c;
            if (per != c) return 0;
        }
        return per;
    }

    /** comb_next: the next k-combination of 0..n-1 in lexicographic order, false after the last. */
    static boolean next(int[] it, int n) {
        int k = it.length;
        int i = k - 1;
        while (it[i] == n - k + i) {
            if (i <= 0) return false;
            i--;
        }
        it[i]++;
        for (i++; i < k; i++) it[i] = it[i - 1] + 1;
        return true;
    }

    /**
     * numa_place_domain for xl create: when the config gives no affinity (no cpus=, no list form,
     * no cpus_soft=), the config with cpus= set to the chosen candidate's pCPUs; else it unchanged.
     * libxl's messages go to {@code err}: the choice only with {@code xl -v} (DETAIL), a failure or
     * the node limit always (NOTICE, WARN).
     */
    static DomainConfig apply(Hypervisor hv, DomainConfig cfg, boolean verbose, PrintStream err) {
        if (cfg.cpus() != null || cfg.vcpuCpus() != null || cfg.cpusSoft() != null) return cfg;
        var pool = hv.findPool(cfg.pool() == null ? "0" : cfg.pool());
        if (pool.isEmpty()) return cfg; // create refuses it with its own message
        HostTopology topo = hv.physInfo().topology();
        long[] freeBytes = hv.freeMemoryPerNode();
        long[] freeKb = new long[topo.nrNodes()];
        for (int n = 0; n < freeKb.length && n < freeBytes.length; n++) freeKb[n] = freeBytes[n] >> 10;
        List<CpuMask> affinities = new ArrayList<>();
        for (DomainInfo d : hv.listDomains()) for (VcpuInfo v : hv.vcpus(d.id())) affinities.add(v.hardAffinity());
        Result r = place(topo, pool.get().cpus(), freeKb, affinities, needMemKb(cfg.memoryMb(), cfg.maxMemoryMb(), cfg.maxVcpus()), cfg.maxVcpus());
        if (r.chosen() == null) {
            err.println(LibxlLog.line(r.level(), r.level().equals("warning") ? LibxlLog.NUMA_TOO_BIG : LibxlLog.NUMA_FAILED, r.message()));
            return cfg;
        }
        if (verbose) err.println(LibxlLog.line("detail", LibxlLog.NUMA_PLACED, r.detail()));
        return new DomainConfig(cfg.name(), cfg.memoryMb(), cfg.maxMemoryMb(), cfg.vcpus(), cfg.maxVcpus(), r.chosen().cpus(), null, cfg.weight(),
                cfg.cap(), cfg.pool(), cfg.onPoweroff(), cfg.onReboot(), cfg.onWatchdog(), cfg.onCrash(), cfg.startPaused(), cfg.platformOptions(), null, cfg.seclabel());
    }
}
