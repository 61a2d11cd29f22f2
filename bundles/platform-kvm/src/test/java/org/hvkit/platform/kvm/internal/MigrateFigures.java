package org.hvkit.platform.kvm.internal;

import java.util.Locale;
import org.hvkit.api.domain.DomainInfo;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Live-migration figures on KVM (not a test by default: run with {@code -Dhvkit.bench=true}, or
 * {@code bin/bench migrate}): a 256 MiB guest moved between two hvkit cores over loopback TCP,
 * total time, downtime (paused at the source until unpaused at the target) and pages per round;
 * a quiet burn, and a writer rewriting 4 MiB every 10 ms (target downtime <= 50 ms).
 */
class MigrateFigures {
    @Test
    void figures() throws Exception {
        Assumptions.assumeTrue(Boolean.getBoolean("hvkit.bench"), "figures: run with -Dhvkit.bench=true");
        print();
    }

    public static void main(String[] args) throws Exception {
        print();
    }

    static void print() throws Exception {
        KvmRig.assumeKvm();
        System.out.println("live migration figures on KVM" + (Kvm.isPvm() ? " -- PVM (kvm_pvm, no VT-x/SVM), 2 shared cores" : "") + "; two hvkit cores, loopback TCP");
        try (KvmRig a = new KvmRig(null, true); KvmRig b = new KvmRig(null, true)) {
            for (String[] g : new String[][] {{"burn", "1m"}, {"writer", "0 1024 100000 10ms"}}) {
                for (int i = 0; i < 5; i++) {
                    KvmRig from = i % 2 == 0 ? a : b, to = i % 2 == 0 ? b : a;
                    DomainInfo d = g[0].equals("burn") ? from.create("g", "burn", g[1], 256, null, null) : from.createPreserved("g", "writer", g[1], 256);
                    KvmRig.waitFor(() -> from.reported(d.id(), 0) >= 5, 20_000);
                    Thread.sleep(200);
                    KvmMigrateTest.Moved m = KvmMigrateTest.migrate(from, d.id(), to, null);
                    System.out.println(String.format(Locale.ROOT, "256 MiB %-6s total %6.1f ms, downtime %5.1f ms, %5d KiB, pages per round %s", g[0],
                            (m.report().endNanos() - m.report().startNanos()) / 1e6, m.downtimeNs() / 1e6, m.report().bytes() >> 10, m.report().pagesPerRound()));
                    to.core.destroyDomain(m.target().id());
                }
            }
        }
    }
}
