package org.hvkit.scenario.internal;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.hvkit.api.domain.CpuMask;

/**
 * Weighted max-min fair share by progressive filling (water-filling): every vCPU's allocation
 * grows as {@code weight x level} until it meets its demand (at most one pCPU) or a constraint
 * it belongs to is full — its pool's pCPUs, the pCPUs its hard affinity allows (shared with every
 * vCPU whose affinity lies within them), or its domain's cap. Exact when the affinity masks of a
 * pool form a laminar family (nested or disjoint, the usual case); with more than
 * {@value #MAX_SUBSET_MASKS} distinct masks only each mask's own vCPUs are counted against it.
 */
public final class FairShare {
    static final int MAX_SUBSET_MASKS = 512;

    private FairShare() {}

    /**
     * @param weight  per vCPU, > 0
     * @param demand  per vCPU, pCPUs wanted when alone (0..1)
     * @param domain  per vCPU, the index of its domain
     * @param mask    per vCPU, its hard affinity within the pool
     * @param poolCpus the pool's pCPUs
     * @param domCap  per domain index, its cap in pCPUs (infinity for none)
     * @return per vCPU, its fair share in pCPUs
     */
    public static double[] compute(double[] weight, double[] demand, int[] domain, CpuMask[] mask, CpuMask poolCpus, double[] domCap) {
        int n = weight.length;
        double[] alloc = new double[n];
        if (n == 0) return alloc;
        // constraints: capacity, members
        List<Double> cap = new ArrayList<>();
        List<List<Integer>> members = new ArrayList<>();
        cap.add((double) poolCpus.cardinality());
        List<Integer> all = new ArrayList<>();
        for (int i = 0; i < n; i++) all.add(i);
        members.add(all);
        Map<CpuMask, List<Integer>> byMask = new HashMap<>();
        for (int i = 0; i < n; i++) byMask.computeIfAbsent(mask[i].and(poolCpus), k -> new ArrayList<>()).add(i);
        List<CpuMask> masks = new ArrayList<>(byMask.keySet());
        for (CpuMask m : masks) {
            if (m.equals(poolCpus)) continue;
            List<Integer> mem = new ArrayList<>(byMask.get(m));
            if (masks.size() <= MAX_SUBSET_MASKS) {
                for (CpuMask o : masks) if (o != m && !o.equals(m) && o.isSubsetOf(m)) mem.addAll(byMask.get(o));
            }
            cap.add((double) m.cardinality());
            members.add(mem);
        }
        Map<Integer, List<Integer>> byDom = new HashMap<>();
        for (int i = 0; i < n; i++) if (domCap[domain[i]] < Double.POSITIVE_INFINITY) byDom.computeIfAbsent(domain[i], k -> new ArrayList<>()).add(i);
        for (var e : byDom.entrySet()) {
            cap.add(domCap[e.getKey()]);
            members.add(e.getValue());
        }
        int k = cap.size();
        double[] capA = new double[k], fixed = new double[k], w = new double[k];
        List<List<Integer>> of = new ArrayList<>();
        for (int i = 0; i < n; i++) of.add(new ArrayList<>(2));
        for (int c = 0; c < k; c++) {
            capA[c] = cap.get(c);
            for (int i : members.get(c)) {
                of.get(i).add(c);
                w[c] += weight[i];
            }
        }
        boolean[] frozen = new boolean[n];
        boolean[] full = new boolean[k];
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) order[i] = i;
        double[] thr = new double[n];
        for (int i = 0; i < n; i++) thr[i] = Math.min(1, Math.max(0, demand[i])) / weight[i];
        Arrays.sort(order, (a, b) -> Double.compare(thr[a], thr[b]));
        int ptr = 0, left = n;
        double level = 0;
        while (left > 0) {
            while (ptr < n && frozen[order[ptr]]) ptr++;
            double tv = ptr < n ? thr[order[ptr]] : Double.POSITIVE_INFINITY;
            int best = -1;
            double bl = Double.POSITIVE_INFINITY;
            for (int c = 0; c < k; c++) {
                if (full[c] || w[c] <= 1e-12) continue;
                double l = Math.max(level, (capA[c] - fixed[c]) / w[c]);
                if (l < bl) { bl = l; best = c; }
            }
            if (tv <= bl) {
                int i = order[ptr];
                level = Math.max(level, tv);
                freeze(i, Math.min(1, Math.max(0, demand[i])), alloc, frozen, of, fixed, w, weight);
                left--;
            } else {
                level = bl;
                full[best] = true;
                for (int i : members.get(best)) {
                    if (frozen[i]) continue;
                    freeze(i, weight[i] * level, alloc, frozen, of, fixed, w, weight);
                    left--;
                }
            }
        }
        return alloc;
    }

    private static void freeze(int i, double a, double[] alloc, boolean[] frozen, List<List<Integer>> of, double[] fixed, double[] w, double[] weight) {
        alloc[i] = a;
        frozen[i] = true;
        for (int c : of.get(i)) {
            fixed[c] += a;
            w[c] -= weight[i];
        }
    }
}
