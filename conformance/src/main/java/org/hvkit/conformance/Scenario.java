package org.hvkit.conformance;

import java.util.ArrayList;
import java.util.List;
import org.hvkit.api.domain.CpuMask;
import org.hvkit.api.platform.HostTopology;

/**
 * One workload on one simulated host: what the kit runs, and what it reports as a counter-example.
 * Immutable; {@link #toString()} is a readable reproduction recipe.
 *
 * @param sockets        sockets of the host (also its NUMA nodes)
 * @param cores          cores per socket
 * @param threads        threads per core
 * @param seed           the simulation's seed (workload random draws)
 * @param durationNs     virtual time the scenario runs
 * @param measureFromNs  where measured shares (weights, caps) start; earlier time is warm-up
 * @param domains        the guests
 * @param ops            toolstack operations at given times, ordered by time
 */
public record Scenario(int sockets, int cores, int threads, long seed, long durationNs, long measureFromNs,
                       List<DomainSpec> domains, List<Op> ops) {

    public Scenario {
        domains = List.copyOf(domains);
        ops = List.copyOf(ops);
    }

    /**
     * A guest.
     *
     * @param name      domain name
     * @param vcpus     vCPUs
     * @param weight    weight, or 0 for the scheduler's default
     * @param cap       cap in % of one pCPU, 0 for none
     * @param cpus      hard affinity of every vCPU, or null for all pCPUs
     * @param workload  the simulated machine's workload (see docs/testkit-contract.md)
     * @param createAtNs when it is created (0: before the run starts)
     */
    public record DomainSpec(String name, int vcpus, int weight, int cap, CpuMask cpus, String workload, long createAtNs) {
        DomainSpec withVcpus(int n) { return new DomainSpec(name, n, weight, cap, cpus, workload, createAtNs); }
        DomainSpec withCpus(CpuMask m) { return new DomainSpec(name, vcpus, weight, cap, m, workload, createAtNs); }

        @Override
        public String toString() {
            return "domain " + name + ": " + vcpus + " vCPU(s), weight " + (weight == 0 ? "default" : weight)
                    + (cap > 0 ? ", cap " + cap + "%" : "") + ", cpus " + (cpus == null ? "all" : cpus.toRangeList())
                    + ", workload \"" + workload + "\"" + (createAtNs > 0 ? ", created at " + ms(createAtNs) : "");
        }
    }

    public enum OpKind { DESTROY, PAUSE, UNPAUSE, PIN, WEIGHT }

    /**
     * A toolstack operation.
     *
     * @param atNs   when
     * @param kind   what
     * @param domain index into {@link #domains()}
     * @param vcpu   the vCPU (PIN)
     * @param cpus   the new hard affinity (PIN)
     * @param value  the new weight (WEIGHT)
     */
    public record Op(long atNs, OpKind kind, int domain, int vcpu, CpuMask cpus, int value) {
        String describe(List<DomainSpec> doms) {
            String d = doms.get(domain).name();
            return "at " + ms(atNs) + ": " + switch (kind) {
                case DESTROY -> "destroy " + d;
                case PAUSE -> "pause " + d;
                case UNPAUSE -> "unpause " + d;
                case PIN -> "pin " + d + " vCPU " + vcpu + " to " + cpus.toRangeList();
                case WEIGHT -> "set weight of " + d + " to " + value;
            };
        }
    }

    public HostTopology topology() {
        return HostTopology.of(sockets, cores, threads, sockets, 16L << 30);
    }

    public int nrCpus() {
        return sockets * cores * threads;
    }

    /** A rough size, what shrinking minimises. */
    int size() {
        int s = nrCpus() + ops.size() * 2;
        for (DomainSpec d : domains) s += 3 + d.vcpus();
        return s * 1000 + (int) (durationNs / 10_000_000L);
    }

    Scenario withDomains(List<DomainSpec> d, List<Op> o) {
        return new Scenario(sockets, cores, threads, seed, durationNs, measureFromNs, d, o);
    }

    Scenario withTopology(int s, int c, int t) {
        return new Scenario(s, c, t, seed, durationNs, measureFromNs, domains, ops);
    }

    Scenario withDuration(long d, long measureFrom) {
        List<Op> o = new ArrayList<>();
        for (Op op : ops) if (op.atNs() < d) o.add(op);
        return new Scenario(sockets, cores, threads, seed, d, measureFrom, domains, o);
    }

    static String ms(long ns) {
        return ns % 1_000_000L == 0 ? ns / 1_000_000L + " ms" : String.format("%.3f ms", ns / 1e6);
    }

    @Override
    public String toString() {
        StringBuilder b = new StringBuilder();
        b.append("host ").append(sockets).append(" socket(s) x ").append(cores).append(" core(s) x ").append(threads)
                .append(" thread(s) = ").append(nrCpus()).append(" pCPU(s), seed ").append(seed).append(", run ").append(ms(durationNs));
        if (measureFromNs > 0) b.append(" (measured after ").append(ms(measureFromNs)).append(')');
        for (DomainSpec d : domains) b.append("\n    ").append(d);
        for (Op o : ops) b.append("\n    ").append(o.describe(domains));
        return b.toString();
    }
}
