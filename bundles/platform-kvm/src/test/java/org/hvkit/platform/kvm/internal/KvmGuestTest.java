package org.hvkit.platform.kvm.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.hvkit.api.domain.CpuMask;
import org.hvkit.api.domain.DomainInfo;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** Guests on the real core and the KVM platform. Skipped where /dev/kvm does not work. */
class KvmGuestTest {
    private static final CpuMask CPU0 = CpuMask.parse("0", 2, n -> null);

    @Test
    void helloPrintsItsGreetingAndPowersOff() throws Exception {
        try (KvmRig rig = new KvmRig(null, false)) {
            DomainInfo d = rig.create("hello", "hello", "greeting=1 two", 8, null, null);
            assertTrue(KvmRig.waitFor(() -> rig.gone(d.id()), 20_000), "hello did not power off: " + rig.console());
            assertTrue(rig.console().stream().anyMatch(l -> l.contains("d" + d.id() + " Hello from hvkit guest on KVM")), "no greeting in " + rig.console());
            assertTrue(rig.console().stream().anyMatch(l -> l.contains("d" + d.id() + " extra: greeting=1 two")), "no command line in " + rig.console());
        }
    }

    /** Every REPORT hypercall of burn is an exit handled without a reschedule: each is timed on both sides of KVM_RUN. */
    @Test
    void exitsAreTimedInsideKvmRunAndOnTheJavaPath() throws Exception {
        try (KvmRig rig = new KvmRig("0", true)) {
            DomainInfo d = rig.create("exits", "burn", "1 3000", 8, CPU0, null);
            assertTrue(KvmRig.waitFor(() -> rig.gone(d.id()), 60_000), "burn did not finish its 3000 reports");
            ExitPathStats.Summary s = rig.platform.exitPath();
            System.out.println(s);
            assertTrue(s.exits() >= 2500 && s.exits() <= s.runs(), s.toString());
            assertTrue(s.meanNs() > 0 && s.p50Ns() <= s.p99Ns() && s.p99Ns() <= s.maxNs() + 25, s.toString());
            assertTrue(s.runMeanNs() > 0, s.toString());
            String shown = new KvmStatsCommand(rig.platform).stats();
            assertTrue(shown.contains("pcpu0@cpu0 schedules=") && shown.contains("Java exit path") && shown.contains("timers fired="), shown);
        }
    }

    @Test
    void cpuidRunsInRingThreeAndPrintsTheVendor() throws Exception {
        try (KvmRig rig = new KvmRig(null, false)) {
            DomainInfo d = rig.create("cpuid", "cpuid", null, 8, null, null);
            assertTrue(KvmRig.waitFor(() -> rig.gone(d.id()), 20_000), "cpuid did not power off: " + rig.console());
            assertTrue(rig.console().stream().anyMatch(l -> l.matches(".*d" + d.id() + " vendor: (AuthenticAMD|GenuineIntel|\\S{12})")), "no vendor in " + rig.console());
        }
    }

    @Test
    void theGuestsCpuidTableComesFromThePolicyAndPvmIsSaid() throws Exception {
        try (KvmRig rig = new KvmRig(null, false)) {
            rig.platform.setCpuidPolicy(new org.hvkit.hw.cpu.intel.internal.IntelCpuidPolicy());
            rig.platform.addCpuModel(new org.hvkit.hw.cpu.intel.internal.HostCpuModel());
            DomainInfo d = rig.core.createDomain(org.hvkit.api.domain.DomainConfig.builder("cpuid").memoryMb(8)
                    .onPoweroff(org.hvkit.api.domain.LifecycleAction.PRESERVE)
                    .platformOptions(java.util.Map.of("kernel", KvmRig.guests().resolve("cpuid.hvk").toString(), "cpuid", "host,avx=0")).build());
            assertTrue(KvmRig.waitFor(() -> rig.core.domain(d.id()).map(x -> x.shutdown()).orElse(true), 20_000), "cpuid did not power off: " + rig.console());
            String log = String.join("\n", rig.console());
            assertTrue(log.matches("(?s).*domain " + d.id() + ": cpuid: model \\S+, \\d+ leaves, leaf 1 ecx=[0-9a-f]{8} .*avx off.*"), log);
            assertTrue(log.lines().filter(l -> l.contains("domain " + d.id() + ": cpuid: ") && l.contains("warning")).count() <= 1,
                    "at most one line of warnings per domain: " + log);
            int computedEcx = Integer.parseUnsignedInt(log.replaceAll("(?s).*leaf 1 ecx=([0-9a-f]{8}).*", "$1"), 16);
            assertEquals(0, computedEcx & (1 << 28), "host,avx=0 clears AVX (leaf 1 ECX bit 28) in the computed table");
            assertTrue(rig.core.guestReports(d.id()).stream().anyMatch(r -> r.key() == 1), "the guest reported leaf 1 ECX");
            long seenEcx = rig.reported(d.id(), 1);
            assertTrue(rig.core.guestReports(d.id()).stream().anyMatch(r -> r.key() == 2), "the AVX probe reported");
            long avxRan = rig.reported(d.id(), 2);
            System.out.printf("cpuid guest: computed leaf 1 ecx=%08x, guest saw %08x (avx %s), AVX probe %s%n", computedEcx, seenEcx,
                    (seenEcx & (1 << 28)) != 0 ? "advertised" : "not advertised", avxRan == 1 ? "executed vxorps" : "skipped");
            assertEquals((seenEcx & (1 << 28)) != 0 ? 1 : 0, avxRan, "the guest executes an AVX instruction exactly where AVX is advertised to it");
            if (Kvm.isPvm()) {
                assertTrue(log.contains("cpuid: this host's /dev/kvm is PVM, which does not honour KVM_SET_CPUID2"), log);
            } else {
                assertEquals(computedEcx & ~(1 << 27), (int) seenEcx & ~(1 << 27), "the guest sees the computed table (OSXSAVE follows CR4)");
            }
            assertThrows(org.hvkit.api.toolstack.HypervisorException.class, () -> rig.core.createDomain(org.hvkit.api.domain.DomainConfig.builder("bad")
                    .memoryMb(8).platformOptions(java.util.Map.of("kernel", KvmRig.guests().resolve("cpuid.hvk").toString(), "cpuid", "host,avxx=0")).build()));
            assertTrue(rig.core.findDomain("bad").isEmpty(), "a bad cpuid= option creates nothing");
        }
    }

    private static long countFds(String kind) throws IOException {
        try (Stream<Path> s = Files.list(Path.of("/proc/self/fd"))) {
            return s.filter(p -> {
                try {
                    return kind == null || Files.readSymbolicLink(p).toString().contains(kind);
                } catch (IOException e) {
                    return false;
                }
            }).count();
        }
    }

    private static long countMaps(String kind) throws IOException {
        try (Stream<String> s = Files.lines(Path.of("/proc/self/maps"))) {
            return s.filter(l -> kind == null || l.contains(kind)).count();
        }
    }

    @Test
    void createDestroyCyclesLeakNoFdAndNoMemory() throws Exception {
        try (KvmRig rig = new KvmRig(null, false)) {
            // warm up class loading and JIT so that only our own resources change
            for (int i = 0; i < 2; i++) rig.core.destroyDomain(rig.create("warm" + i, "hostile", "7", 8, null, null).id());
            long fds = countFds(null), maps = countMaps(null);
            for (int i = 0; i < 20; i++) {
                // a guest spinning in ring 3 (hostile mode 7), destroyed while it runs
                DomainInfo d = rig.create("cycle" + i, "hostile", "7", 16, null, null);
                assertTrue(KvmRig.waitFor(() -> rig.core.domain(d.id()).isPresent() && rig.core.vcpus(d.id()).getFirst().cpuTimeNs() > 1_000_000, 10_000), "cycle " + i + " never ran");
                rig.core.destroyDomain(d.id());
                assertTrue(rig.gone(d.id()));
            }
            assertEquals(0, countFds("kvm-vm"), "VM fds left open");
            assertEquals(0, countFds("kvm-vcpu"), "vCPU fds left open");
            assertEquals(0, countMaps("kvm-vcpu"), "kvm_run mappings left");
            assertEquals(0, rig.platform.mappedBytes(), "guest memory left mapped");
            assertTrue(countFds(null) <= fds, "fds grew from " + fds + " to " + countFds(null));
            assertTrue(countMaps(null) <= maps + 4, "mappings grew from " + maps + " to " + countMaps(null));
        }
        assertEquals(0, countFds("/dev/kvm") + countFds("kvm-vm") + countFds("kvm-vcpu"), "KVM fds left after stop");
    }

    @Test
    void aTwoVcpuGuestRunsOnBothPcpusAndIsDestroyedWhileRunning() throws Exception {
        try (KvmRig rig = new KvmRig(null, false)) {
            java.util.Map<String, String> opts = java.util.Map.of("kernel", KvmRig.guests().resolve("burn.hvk").toString());
            DomainInfo d = rig.core.createDomain(org.hvkit.api.domain.DomainConfig.builder("smp").vcpus(2).memoryMb(8).platformOptions(opts).build());
            assertTrue(KvmRig.waitFor(() -> rig.core.vcpus(d.id()).stream().allMatch(v -> v.cpuTimeNs() > 50_000_000L), 10_000), "both vCPUs should run: " + rig.core.vcpus(d.id()));
            rig.core.destroyDomain(d.id());
            assertTrue(rig.gone(d.id()));
            assertEquals(0, countFds("kvm-vcpu"));
        }
    }

    @Test
    void hostileGuestsCrashOnlyThemselves() throws Exception {
        try (KvmRig rig = new KvmRig(null, false)) {
            DomainInfo burn = rig.create("bystander", "burn", null, 8, null, null);
            List<DomainInfo> bad = new ArrayList<>();
            for (int mode = 0; mode <= 5; mode++) bad.add(rig.create("hostile" + mode, "hostile", String.valueOf(mode), 8, null, null));
            for (DomainInfo d : bad) assertTrue(KvmRig.waitFor(() -> rig.gone(d.id()), 20_000), d.name() + " still there: " + rig.console());
            long before = rig.reported(burn.id(), 0);
            assertTrue(KvmRig.waitFor(() -> rig.reported(burn.id(), 0) > before + 3, 10_000), "the bystander stopped making progress");
            List<String> log = rig.console();
            for (DomainInfo d : bad) {
                assertTrue(log.stream().anyMatch(l -> l.contains("domain " + d.id() + " (" + d.name() + ") shutdown: crash")), d.name() + " did not crash: " + log);
            }
            assertTrue(rig.core.domain(burn.id()).isPresent());
            System.out.println(String.join("\n", log.stream().filter(l -> l.contains("crash")).toList()));
        }
    }

    @Test
    void weightsShareOnePcpuTwoToOne() throws Exception {
        Assumptions.assumeTrue(KvmRig.credit1() != null, "credit1 is not on the class path");
        // a one-pCPU machine: credit1's weights are shares of the pool, as in Xen
        try (KvmRig rig = new KvmRig("0", true)) {
            DomainInfo heavy = rig.create("heavy", "burn", null, 8, CPU0, 512);
            DomainInfo light = rig.create("light", "burn", null, 8, CPU0, 256);
            Thread.sleep(1000);
            long h0 = cpu(rig, heavy), l0 = cpu(rig, light), hp0 = progress(rig, heavy), lp0 = progress(rig, light);
            Thread.sleep(10_000);
            long h = cpu(rig, heavy) - h0, l = cpu(rig, light) - l0;
            long hp = progress(rig, heavy) - hp0, lp = progress(rig, light) - lp0;
            double ratio = (double) h / l, progressRatio = (double) hp / lp;
            System.out.printf("weights 512:256 on one pCPU: %.1f s vs %.1f s, ratio %.3f; the guests' own progress %d vs %d chunks, ratio %.3f%n",
                    h / 1e9, l / 1e9, ratio, hp, lp, progressRatio);
            System.out.println(rig.platform.stats());
            assertTrue(Math.abs(ratio - 2.0) <= 0.1, "Time(s) ratio " + ratio + " not within 5 % of 2");
            assertTrue(Math.abs(progressRatio - 2.0) <= 0.1, "progress ratio " + progressRatio + " not within 5 % of 2");
        }
    }

    /** The burn guest's own count of work chunks done (report key 0), as hv reports shows it. */
    private static long progress(KvmRig rig, DomainInfo d) {
        return rig.reported(d.id(), 0);
    }

    private static long cpu(KvmRig rig, DomainInfo d) {
        return rig.core.domain(d.id()).orElseThrow().cpuTimeNs();
    }

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"credit", "credit2"})
    void pingerWakesPromptlyBesideTwoBurners(String sched) throws Exception {
        Assumptions.assumeTrue(KvmRig.provider(sched) != null, sched + " is not on the class path");
        try (KvmRig rig = new KvmRig(null, sched)) {
            rig.create("burnA", "burn", null, 8, CPU0, null);
            rig.create("burnB", "burn", null, 8, CPU0, null);
            DomainInfo p = rig.create("pinger", "pinger", "10ms 300", 8, CPU0, null);
            assertTrue(KvmRig.waitFor(() -> rig.gone(p.id()) || rig.reported(p.id(), 0) >= 299, 30_000), "pinger did not finish");
            // the statistics `hv reports pinger` prints: key 1 is the guest's own TSC-measured wake latency
            org.hvkit.api.toolstack.GuestReport lat = rig.core.guestReports(p.id()).stream().filter(r -> r.key() == 1).findFirst().orElseThrow();
            Assumptions.assumeTrue(lat.count() > 50, "pinger reported too little");
            System.out.printf("pinger beside two burners on one pCPU (%s): %d wake-ups, latency p50 %d us, p99 %d us, max %d us%n",
                    rig.scheduler, lat.count(), lat.p50() / 1000, lat.p99() / 1000, lat.max() / 1000);
            System.out.println(rig.platform.stats());
            assertEquals(sched, rig.scheduler);
            assertTrue(lat.p50() < 5_000_000L, "p50 wake latency " + lat.p50() / 1000 + " us");
            assertTrue(lat.p99() < 15_000_000L, "p99 wake latency " + lat.p99() / 1000 + " us: not far below a 30 ms timeslice");
        }
    }
}
