package org.hvkit.platform.kvm.internal;

import java.util.Arrays;
import org.hvkit.api.domain.CpuMask;
import org.hvkit.api.domain.DomainInfo;

/**
 * Prints the KVM platform's figures (not a test): exit round trip, kick latency, vCPU context
 * switch on one pCPU, create to first guest instruction. Run from the repository root:
 *
 * <pre>
 * bin/bench kvm-figures
 * </pre>
 * or by hand:
 * <pre>
 * ./mvnw -q install -pl guests,bundles/platform-kvm -DskipTests
 * ./mvnw -q dependency:build-classpath -pl bundles/platform-kvm -Dmdep.includeScope=test -Dmdep.outputFile=/tmp/cp.txt
 * java -Xms512m -Xmx512m -XX:+AlwaysPreTouch --enable-native-access=ALL-UNNAMED -cp bundles/platform-kvm/target/classes:bundles/platform-kvm/target/test-classes:$(cat /tmp/cp.txt) \
 *      org.hvkit.platform.kvm.internal.KvmFigures
 * </pre>
 *
 * A fixed, pre-touched heap keeps the process's RSS from moving with the heap, so the memory
 * figure counts only what domains add.
 */
public final class KvmFigures {
    private KvmFigures() {}

    public static void main(String[] args) throws Exception {
        String why = Kvm.probe();
        if (why != null) {
            System.out.println("no /dev/kvm: " + why);
            return;
        }
        CpuMask cpu0 = CpuMask.parse("0", 1, n -> null);
        System.out.println("hvkit KVM platform figures" + (Kvm.isPvm()
                ? " -- on PVM (kvm_pvm: no VT-x/SVM; ring-0 guest code is emulated, ring 3 runs natively; exits are PVM exits)"
                : " -- on hardware KVM"));
        try (KvmRig rig = new KvmRig("0", true)) {
            // warm up: class loading, JIT of the exit path
            run(rig, "warm", "burn", "1 20000", cpu0);

            // 1. exit round trip: ring-3 hypercall (MMIO write), handled in Java, re-entered; and the
            //    same guest under a bare KVM_RUN loop, alternately, so both see the same machine state
            int n = 50_000;
            RawExitLoop.run(rig.platform, KvmRig.guests().resolve("burn.hvk"), "1 20000", 0); // warm the raw loop too
            long totalNs = 0;
            ExitPathStats.Summary raw = null, hv = null;
            int rounds = 5;
            for (int round = 0; round < rounds; round++) {
                raw = RawExitLoop.run(rig.platform, KvmRig.guests().resolve("burn.hvk"), "1 " + n, 0);
                ExitPathStats before = rig.platform.exitPathStats();
                totalNs += run(rig, "exits" + round, "burn", "1 " + n, cpu0);
                hv = rig.platform.exitPathStats().since(before).summary();
                System.out.printf("round %d: raw loop: path p50 %.2f us, mean %.2f us, KVM_RUN mean %.1f us | hvkit: path p50 %.2f us, mean %.2f us, KVM_RUN mean %.1f us%n",
                        round, raw.p50Ns() / 1e3, raw.meanNs() / 1e3, raw.runMeanNs() / 1e3, hv.p50Ns() / 1e3, hv.meanNs() / 1e3, hv.runMeanNs() / 1e3);
            }
            System.out.printf("exit round trip (ring-3 REPORT hypercall -> Java -> KVM_RUN), %d exits x %d: %.1f us each%n", n, rounds, totalNs / 1e3 / n / rounds);
            System.out.println("  last round, hvkit:    " + hv);
            System.out.println("  last round, raw loop: " + raw);
            System.out.printf("  hvkit's exit path adds %.2f us (p50) / %.2f us (mean) to the bare loop's between two KVM_RUNs%n",
                    (hv.p50Ns() - raw.p50Ns()) / 1e3, (hv.meanNs() - raw.meanNs()) / 1e3);

            // 1b. the same with exits 6 ms apart (burn's default chunk of 2^24 iterations): caches go cold in between
            ExitPathStats.Summary rawSparse = RawExitLoop.run(rig.platform, KvmRig.guests().resolve("burn.hvk"), "16777216 1000", 0);
            ExitPathStats beforeSparse = rig.platform.exitPathStats();
            run(rig, "sparse", "burn", "16777216 1000", cpu0);
            ExitPathStats.Summary hvSparse = rig.platform.exitPathStats().since(beforeSparse).summary();
            System.out.printf("  exits 6 ms apart (1000): hvkit path p50 %.2f us, p99 %.2f us, mean %.2f us | bare loop p50 %.2f us, p99 %.2f us, mean %.2f us: hvkit adds %.2f us (p50) / %.2f us (mean)%n",
                    hvSparse.p50Ns() / 1e3, hvSparse.p99Ns() / 1e3, hvSparse.meanNs() / 1e3, rawSparse.p50Ns() / 1e3, rawSparse.p99Ns() / 1e3, rawSparse.meanNs() / 1e3,
                    (hvSparse.p50Ns() - rawSparse.p50Ns()) / 1e3, (hvSparse.meanNs() - rawSparse.meanNs()) / 1e3);

            // 2. vCPU context switch on one pCPU: two vCPUs yielding to each other after every iteration
            int y = 20_000;
            long t0 = System.nanoTime();
            DomainInfo a = rig.create("yieldA", "burn", "1 " + y + " 1", 8, cpu0, null);
            DomainInfo b = rig.create("yieldB", "burn", "1 " + y + " 1", 8, cpu0, null);
            KvmRig.waitFor(() -> rig.gone(a.id()) && rig.gone(b.id()), 120_000);
            long t = System.nanoTime() - t0;
            System.out.printf("yield ping-pong of two vCPUs on one pCPU, %d yields: %.1f us per switch (exit + schedule + switch + entry)%n", 2 * y, t / 1e3 / (2 * y));

            // 3. kick latency: tickle a pCPU running a spinning guest
            DomainInfo spin = rig.create("spin", "hostile", "7", 8, cpu0, null);
            Thread.sleep(200);
            long[] before = rig.platform.kickLatency();
            for (int i = 0; i < 500; i++) {
                rig.platform.call(() -> {
                    rig.platform.tickle(0);
                    return null;
                });
                Thread.sleep(2);
            }
            long[] after = rig.platform.kickLatency();
            long kicks = after[2] - before[2];
            System.out.printf("kick (tgkill, blocked RT signal + KVM_SET_SIGNAL_MASK) to KVM_RUN returning: %d kicks, mean %.1f us (all kicks so far), max %.1f us%n",
                    kicks, after[0] / 1e3, after[1] / 1e3);
            rig.core.destroyDomain(spin.id());

            // 4. create to first guest instruction reaching the hypervisor (first exit after the ring-0 stub)
            long[] c2f = new long[20];
            for (int i = 0; i < c2f.length; i++) {
                long start = rig.platform.timers().now();
                DomainInfo d = rig.create("first" + i, "burn", "1 0", 8, cpu0, null);
                KvmRig.waitFor(() -> rig.platform.firstExitNs(d.id()) >= 0, 10_000);
                c2f[i] = rig.platform.firstExitNs(d.id()) - start;
                rig.core.destroyDomain(d.id());
            }
            Arrays.sort(c2f);
            System.out.printf("create (hypercall to core, VM, memory slot, vCPU, long mode) to first guest exit: median %.2f ms, best %.2f ms%n", c2f[c2f.length / 2] / 1e6, c2f[0] / 1e6);

            // 5. memory per domain beyond its RAM: the process's RSS minus the guests' RAM mappings, and the Java heap
            int doms = 32;
            DomainInfo w = rig.create("warm", "pinger", null, 8, cpu0, null);
            Thread.sleep(200);
            rig.core.destroyDomain(w.id());
            long heap0 = usedHeapAfterGc(), rss0 = ProcMemory.rss();
            java.util.List<DomainInfo> many = new java.util.ArrayList<>();
            for (int i = 0; i < doms; i++) many.add(rig.create("mem" + i, "pinger", null, 8, cpu0, null));
            Thread.sleep(1000);
            long heap1 = usedHeapAfterGc(), rss1 = ProcMemory.rss(), guestRss = 0;
            for (KvmGuest g : rig.platform.guests()) guestRss += ProcMemory.residentBytes(g.memory.host.address(), g.memory.host.byteSize());
            System.out.printf("memory per domain beyond its RAM (%d pinger domains of 8 MiB, 1 vCPU): %.0f KiB of process RSS besides guest RAM, plus %.0f KiB of Java heap in use;"
                    + " guest RAM resident %.0f KiB per domain; the kernel's own per-VM structures are not in these figures%n",
                    doms, (rss1 - rss0 - guestRss) / 1024.0 / doms, (heap1 - heap0) / 1024.0 / doms, guestRss / 1024.0 / doms);
            for (DomainInfo d : many) rig.core.destroyDomain(d.id());
            rig.platform.stats().forEach(l -> System.out.println("  " + l));
        }
        MemAccessFigures.print();
    }

    private static long usedHeapAfterGc() throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(50);
        }
        Runtime r = Runtime.getRuntime();
        return r.totalMemory() - r.freeMemory();
    }

    /** Runs a guest to its power-off; returns the wall time from its first exit (ns). */
    private static long run(KvmRig rig, String name, String guest, String extra, CpuMask cpus) throws Exception {
        DomainInfo d = rig.create(name, guest, extra, 8, cpus, null);
        KvmRig.waitFor(() -> rig.gone(d.id()) || rig.platform.firstExitNs(d.id()) >= 0, 10_000);
        long t0 = System.nanoTime();
        KvmRig.waitFor(() -> rig.gone(d.id()), 120_000);
        return System.nanoTime() - t0;
    }
}
