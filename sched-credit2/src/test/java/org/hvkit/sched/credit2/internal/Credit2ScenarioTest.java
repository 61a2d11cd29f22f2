package org.hvkit.sched.credit2.internal;

import static org.junit.jupiter.api.Assertions.*;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.hvkit.api.domain.CpuMask;
import org.hvkit.api.domain.DomainConfig;
import org.hvkit.api.domain.DomainInfo;
import org.hvkit.api.platform.HostTopology;
import org.hvkit.api.toolstack.HypervisorException;
import org.hvkit.testkit.Simulation;
import org.hvkit.testkit.TraceEvent;
import org.junit.jupiter.api.Test;

/** credit2's acceptance scenarios on the real core and simulated machine. */
class Credit2ScenarioTest {
    private static Simulation sim(HostTopology t, long seed) {
        return Simulation.builder().topology(t).scheduler(new Credit2Provider()).seed(seed).trace(true).build();
    }

    private static Simulation sim(int pcpus) {
        return sim(HostTopology.of(1, pcpus, 1, 1, 16L << 30), 1);
    }

    private static DomainConfig.Builder dom(String name, String workload) {
        return DomainConfig.builder(name).memoryMb(64).platformOptions(Map.of("workload", workload));
    }

    @Test
    void weights512And256OnOnePcpuShareTwoToOne() {
        try (Simulation s = sim(1)) {
            DomainInfo a = s.create(dom("a", "cpu").weight(512).build());
            DomainInfo b = s.create(dom("b", "cpu").weight(256).build());
            s.run(Duration.ofSeconds(10));
            assertEquals(2.0, (double) s.cpuTimeNs(a.id()) / s.cpuTimeNs(b.id()), 0.04);
        }
    }

    @Test
    void weightsHoldForTwoHogsPinnedToOnePcpuOfALargerPool() {
        try (Simulation s = sim(4)) {
            DomainInfo a = s.create(dom("a", "cpu").weight(512).cpus(CpuMask.of(0)).build());
            DomainInfo b = s.create(dom("b", "cpu").weight(256).cpus(CpuMask.of(0)).build());
            s.run(Duration.ofSeconds(10));
            assertEquals(2.0, (double) s.cpuTimeNs(a.id()) / s.cpuTimeNs(b.id()), 0.04, "credit2 burns credit per runqueue, so weights hold");
        }
    }

    @Test
    void capOfFiftyPercentGivesHalfAPcpu() {
        try (Simulation s = sim(2)) {
            DomainInfo d = s.create(dom("capped", "cpu").cap(50).cpus(CpuMask.of(1)).build());
            s.run(Duration.ofSeconds(10));
            assertEquals(0.50, s.cpuTimeNs(d.id()) / 1e10, 0.01);
        }
    }

    @Test
    void aDomainPinnedToPcpu3NeverRunsElsewhereAndNoPcpuIdlesUnderLoad() {
        try (Simulation s = sim(4)) {
            for (int i = 0; i < 6; i++) s.create(dom("load" + i, i % 2 == 0 ? "cpu" : "run 1ms; sleep exp(2ms)").vcpus(2).build());
            DomainInfo pinned = s.create(dom("pinned", "run 3ms; sleep exp(3ms)").vcpus(2).cpus(CpuMask.of(3)).build());
            s.run(Duration.ofSeconds(5));
            List<TraceEvent> runs = s.trace().stream().filter(e -> e.kind() == TraceEvent.Kind.RUN && e.domid() == pinned.id()).toList();
            assertTrue(runs.size() > 100);
            assertTrue(runs.stream().allMatch(e -> e.cpu() == 3));
            long total = s.hypervisor().listDomains().stream().mapToLong(DomainInfo::cpuTimeNs).sum();
            assertEquals(4 * 5_000_000_000L, total, 20_000_000L, "work conserving with three hogs of two vCPUs on four pCPUs");
        }
    }

    @Test
    void latencySensitiveSleeperBesideHogsRunsAtOnce() {
        try (Simulation s = sim(1)) {
            s.create(dom("hog1", "cpu").build());
            s.create(dom("hog2", "cpu").build());
            DomainInfo ping = s.create(dom("ping", "run 200us; sleep 5ms").build());
            s.run(Duration.ofSeconds(5));
            List<Long> lat = org.hvkit.testkit.Traces.wakeLatencies(s.trace(), ping.id(), 0, 100_000_001L);
            assertTrue(lat.size() > 800);
            assertTrue(lat.stream().allMatch(l -> l < 1_000_000L), "far below a credit1 timeslice: max " + lat.stream().mapToLong(x -> x).max().orElse(0));
        }
    }

    @Test
    void loadBalancingSpreadsHogsAcrossSocketRunqueues() {
        try (Simulation s = sim(HostTopology.of(2, 2, 1, 2, 8L << 30), 1)) {
            // all four hogs start on socket 0's runqueue (processor 0 and 1); balancing must move two
            List<DomainInfo> hogs = new ArrayList<>();
            for (int i = 0; i < 4; i++) hogs.add(s.create(dom("h" + i, "cpu").cpus(CpuMask.range(0, 1)).build()));
            for (DomainInfo h : hogs) s.hypervisor().pinVcpu(h.id(), 0, CpuMask.range(0, 3));
            s.run(Duration.ofSeconds(2)); // load averages (a 2^30 ns window) notice the imbalance, balancing moves two hogs
            long before = hogs.stream().mapToLong(h -> s.cpuTimeNs(h.id())).sum();
            s.run(Duration.ofSeconds(3));
            long total = hogs.stream().mapToLong(h -> s.cpuTimeNs(h.id())).sum() - before;
            System.out.printf("balancing: four hogs used %.3f of 12 pCPU-s in [2 s, 5 s]%n", total / 1e9);
            assertTrue(total > 0.98 * 4 * 3e9, "the four hogs end up using all four pCPUs: " + total / 1e9 + " pCPU-s of 12");
            assertTrue(s.trace().stream().anyMatch(e -> e.kind() == TraceEvent.Kind.RUN && e.cpu() >= 2));
        }
    }

    @Test
    void sameSeedSameTraceOtherSeedOtherTrace() {
        assertEquals(trace(5), trace(5));
        assertNotEquals(trace(5), trace(6));
    }

    private static List<TraceEvent> trace(long seed) {
        try (Simulation s = sim(HostTopology.of(2, 2, 1, 2, 8L << 30), seed)) {
            s.create(dom("a", "run exp(2ms); sleep exp(5ms)").vcpus(3).build());
            s.create(dom("b", "run lognormal(1ms,0.8); sleep exp(1ms)").vcpus(2).weight(512).build());
            s.create(dom("c", "cpu").vcpus(2).cap(80).build());
            s.run(Duration.ofSeconds(2));
            return List.copyOf(s.trace());
        }
    }

    @Test
    void parametersUseXensRangesAndMessages() {
        try (Simulation s = sim(2)) {
            DomainInfo d = s.create(dom("d", "cpu").vcpus(2).build());
            var hv = s.hypervisor();
            assertEquals(Map.of("weight", 256L, "cap", 0L), hv.domainSchedParams(d.id()));
            assertEquals("Cpu weight out of range, valid values are within range from 1 to 65535",
                    assertThrows(HypervisorException.class, () -> hv.setDomainSchedParams(d.id(), Map.of("weight", 0L))).getMessage());
            assertEquals("Cpu cap out of range, valid range is from 0 to 200 for specified number of vcpus",
                    assertThrows(HypervisorException.class, () -> hv.setDomainSchedParams(d.id(), Map.of("cap", 300L))).getMessage());
            assertEquals(Map.of("ratelimit_us", 1000L), hv.poolSchedParams(0));
            assertThrows(HypervisorException.class, () -> hv.setPoolSchedParams(0, Map.of("ratelimit_us", 50L)));
            hv.setPoolSchedParams(0, Map.of("ratelimit_us", 0L));
            assertEquals(Map.of("ratelimit_us", 0L), hv.poolSchedParams(0));
            assertTrue(String.join("", hv.dumpSchedulers()).contains("Runqueue 0:"));
        }
    }
}
