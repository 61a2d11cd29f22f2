package org.hvkit.conformance;

import java.util.ArrayList;
import java.util.List;
import org.hvkit.api.domain.CpuMask;

/** Smaller variants of a failing workload, smallest changes last so that big cuts are tried first. */
final class Shrinker {
    private Shrinker() {
    }

    static List<Scenario> candidates(Scenario s) {
        List<Scenario> out = new ArrayList<>();
        List<Scenario.DomainSpec> doms = s.domains();
        // fewer domains (weights and caps scenarios keep their first domain: it is the one measured)
        for (int i = doms.size() - 1; i >= 0 && doms.size() > 1; i--) {
            if (s.measureFromNs() > 0 && (i == 0 || doms.size() <= 2)) continue;
            List<Scenario.DomainSpec> d = new ArrayList<>(doms);
            d.remove(i);
            List<Scenario.Op> ops = new ArrayList<>();
            for (Scenario.Op o : s.ops()) {
                if (o.domain() == i) continue;
                ops.add(o.domain() > i ? new Scenario.Op(o.atNs(), o.kind(), o.domain() - 1, o.vcpu(), o.cpus(), o.value()) : o);
            }
            out.add(s.withDomains(d, ops));
        }
        // fewer operations
        for (int i = s.ops().size() - 1; i >= 0; i--) {
            List<Scenario.Op> ops = new ArrayList<>(s.ops());
            ops.remove(i);
            out.add(s.withDomains(doms, ops));
        }
        // a shorter run (not for measured shares: shorter windows only add noise)
        long half = s.durationNs() / 2;
        if (s.measureFromNs() == 0 && half >= 200_000_000L) out.add(s.withDuration(half, s.measureFromNs()));
        // a smaller host, when every mask still fits
        if (s.sockets() > 1) addIfFits(out, s, s.withTopology(s.sockets() - 1, s.cores(), s.threads()));
        if (s.threads() > 1) addIfFits(out, s, s.withTopology(s.sockets(), s.cores(), s.threads() - 1));
        if (s.cores() > 1) addIfFits(out, s, s.withTopology(s.sockets(), s.cores() - 1, s.threads()));
        // fewer vCPUs
        for (int i = 0; i < doms.size(); i++) {
            if (doms.get(i).vcpus() > 1 && doms.get(i).cap() <= 100 * (doms.get(i).vcpus() - 1)) {
                List<Scenario.DomainSpec> d = new ArrayList<>(doms);
                d.set(i, doms.get(i).withVcpus(doms.get(i).vcpus() - 1));
                out.add(s.withDomains(d, s.ops()));
            }
        }
        return out;
    }

    private static void addIfFits(List<Scenario> out, Scenario old, Scenario s) {
        CpuMask all = CpuMask.firstN(s.nrCpus());
        for (Scenario.DomainSpec d : s.domains()) if (d.cpus() != null && !d.cpus().isSubsetOf(all)) return;
        for (Scenario.Op o : s.ops()) if (o.cpus() != null && o.kind() == Scenario.OpKind.PIN && !o.cpus().isSubsetOf(all)) return;
        out.add(s);
    }
}
