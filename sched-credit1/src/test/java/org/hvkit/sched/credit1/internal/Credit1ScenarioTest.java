package org.hvkit.sched.credit1.internal;

import static org.junit.jupiter.api.Assertions.*;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.hvkit.api.domain.CpuMask;
import org.hvkit.api.domain.DomainConfig;
import org.hvkit.api.domain.DomainInfo;
import org.hvkit.api.platform.HostTopology;
import org.hvkit.testkit.Simulation;
import org.hvkit.testkit.TraceEvent;
import org.junit.jupiter.api.Test;

/** The acceptance scenarios of credit1 on the real core and simulated machine. */
class Credit1ScenarioTest {
    private static Simulation sim(int pcpus, long seed) {
        return Simulation.builder().topology(HostTopology.of(1, pcpus, 1, 1, 16L << 30)).scheduler(new Credit1Provider()).seed(seed).trace(true).build();
    }

    private static DomainConfig.Builder dom(String name, String workload) {
        return DomainConfig.builder(name).memoryMb(128).platformOptions(Map.of("workload", workload));
    }

    /** Wake-to-run latencies of a domain's vCPU 0, in ns, skipping wakes before {@code from}. */
    private static List<Long> wakeLatencies(List<TraceEvent> trace, int domid, long from) {
        return org.hvkit.testkit.Traces.wakeLatencies(trace, domid, 0, from);
    }

    @Test
    void weights512And256OnOnePcpuShareTwoToOne() {
        try (Simulation s = sim(1, 1)) {
            DomainInfo a = s.create(dom("a", "cpu").weight(512).build());
            DomainInfo b = s.create(dom("b", "cpu").weight(256).build());
            s.run(Duration.ofSeconds(10));
            double ratio = (double) s.cpuTimeNs(a.id()) / s.cpuTimeNs(b.id());
            System.out.printf("credit1 scenario (a): weight 512 vs 256 on one pCPU over 10 s: ratio %.4f%n", ratio);
            assertEquals(2.0, ratio, 0.04, "2:1 within 2 %");
            assertEquals(10_000_000_000L, s.cpuTimeNs(a.id()) + s.cpuTimeNs(b.id()), 1_000_000L, "work conserving");
        }
    }

    @Test
    void weightsShareAnOversubscribedPoolTwoToOne() {
        try (Simulation s = Simulation.builder().topology(HostTopology.of(2, 4, 2, 2, 64L << 30)).scheduler(new Credit1Provider()).build()) {
            DomainInfo a = s.create(dom("hog-512", "cpu").vcpus(16).weight(512).build());
            DomainInfo b = s.create(dom("hog-256", "cpu").vcpus(16).weight(256).build());
            s.run(Duration.ofSeconds(10));
            assertEquals(2.0, (double) s.cpuTimeNs(a.id()) / s.cpuTimeNs(b.id()), 0.04);
        }
    }

    @Test
    void capOfFiftyPercentGivesHalfAPcpu() {
        try (Simulation s = sim(2, 1)) {
            DomainInfo d = s.create(dom("capped", "cpu").cap(50).cpus(CpuMask.of(1)).build());
            s.run(Duration.ofSeconds(10));
            double share = s.cpuTimeNs(d.id()) / 1e10;
            System.out.printf("credit1 scenario (b): cap 50 over 10 s: %.4f of one pCPU%n", share);
            assertEquals(0.50, share, 0.01, "50 % +- 2 % (relative)");
            List<TraceEvent> runs = s.trace().stream().filter(e -> e.kind() == TraceEvent.Kind.RUN && e.domid() == d.id()).toList();
            assertTrue(runs.stream().allMatch(e -> e.cpu() == 1));
        }
    }

    @Test
    void boostRunsAShortSleeperWithinAMillisecondBesideHogs() {
        try (Simulation s = sim(1, 1)) {
            s.create(dom("hog1", "cpu").build());
            s.create(dom("hog2", "cpu").build());
            DomainInfo ping = s.create(dom("ping", "run 200us; sleep 5ms").build());
            s.run(Duration.ofSeconds(5));
            List<Long> lat = wakeLatencies(s.trace(), ping.id(), 100_000_000L);
            assertTrue(lat.size() > 800, "the pinger woke " + lat.size() + " times");
            System.out.printf("credit1 scenario (c, BOOST): %d wakes, max wake-to-run %.3f ms, mean %.3f ms%n", lat.size(),
                    lat.stream().mapToLong(x -> x).max().orElse(0) / 1e6, lat.stream().mapToLong(x -> x).average().orElse(0) / 1e6);
            assertTrue(lat.stream().allMatch(l -> l <= 1_000_000L), "every wake ran within 1 ms: max " + lat.stream().mapToLong(x -> x).max().orElse(0));
        }
    }

    @Test
    void withoutCreditTheSameSleeperWaitsForATimeslice() {
        try (Simulation s = sim(1, 1)) {
            s.create(dom("hog", "cpu").weight(65535).build());
            // the same sleeper as above, but with weight 1 its credit runs out: it wakes OVER, unboosted
            DomainInfo ping = s.create(dom("ping", "run 200us; sleep 5ms").weight(1).build());
            s.run(Duration.ofSeconds(5));
            List<Long> lat = wakeLatencies(s.trace(), ping.id(), 1_000_000_000L);
            assertTrue(lat.size() > 20, "wakes: " + lat.size());
            long slow = lat.stream().filter(l -> l >= 10_000_000L).count();
            System.out.printf("credit1 scenario (c, no credit): %d wakes, %d waited >= 10 ms, max %.3f ms, mean %.3f ms%n", lat.size(), slow,
                    lat.stream().mapToLong(x -> x).max().orElse(0) / 1e6, lat.stream().mapToLong(x -> x).average().orElse(0) / 1e6);
            assertTrue(slow * 2 > lat.size(), "most wakes wait for the hog's timeslice: " + lat);
            assertTrue(lat.stream().anyMatch(l -> l >= 29_000_000L), "some wait a whole 30 ms timeslice: " + lat);
        }
    }

    @Test
    void aHeavyConsumerWithoutCreditWaitsForTheHogsTimeslice() {
        try (Simulation s = sim(1, 1)) {
            s.create(dom("hog", "cpu").build());
            // wants ~90 % of the pCPU beside a hog of equal weight: it overdraws, wakes OVER and is not boosted
            DomainInfo heavy = s.create(dom("heavy", "run 20ms; sleep 2ms").build());
            s.run(Duration.ofSeconds(10));
            List<Long> lat = wakeLatencies(s.trace(), heavy.id(), 1_000_000_000L);
            // a wake either finds the hog OVER too (FIFO: runs at once after the hog's slice was used up) or
            // waits while the UNDER hog runs whole 30 ms slices
            long slow = lat.stream().filter(l -> l >= 28_000_000L).count();
            long max = lat.stream().mapToLong(x -> x).max().orElse(0);
            System.out.printf("credit1 scenario (c, heavy consumer): %d wakes, %d waited >= 28 ms, max %.3f ms%n", lat.size(), slow, max / 1e6);
            assertTrue(lat.size() > 50, "wakes: " + lat.size());
            assertTrue(slow * 5 > lat.size(), "a good part of its wakes wait for the hog's slice: " + lat);
            assertTrue(lat.stream().noneMatch(l -> l > 1_000_000L && l < 28_000_000L), "no BOOST: a wait is a whole slice or none: " + lat);
            assertTrue(max <= 91_000_000L, "at most three slices of the hog: " + max);
        }
    }

    @Test
    void aDomainPinnedToPcpu3NeverRunsElsewhere() {
        try (Simulation s = sim(4, 1)) {
            for (int i = 0; i < 6; i++) s.create(dom("load" + i, i % 2 == 0 ? "cpu" : "run 1ms; sleep exp(2ms)").vcpus(2).build());
            DomainInfo pinned = s.create(dom("pinned", "run 3ms; sleep exp(3ms)").vcpus(2).cpus(CpuMask.of(3)).build());
            s.run(Duration.ofSeconds(5));
            List<TraceEvent> runs = s.trace().stream().filter(e -> e.kind() == TraceEvent.Kind.RUN && e.domid() == pinned.id()).toList();
            assertTrue(runs.size() > 100);
            assertTrue(runs.stream().allMatch(e -> e.cpu() == 3), "pinned to cpu 3");
            System.out.printf("credit1 scenario (d): %d RUN events of the pinned domain, all on cpu 3%n", runs.size());
            assertTrue(s.trace().stream().anyMatch(e -> e.kind() == TraceEvent.Kind.RUN && e.cpu() != 3 && e.domid() != pinned.id()));
        }
    }

    @Test
    void sameSeedSameTraceOtherSeedOtherTrace() {
        List<TraceEvent> t1 = run(11), t2 = run(11), t3 = run(12);
        assertTrue(t1.size() > 1000);
        assertEquals(t1, t2);
        assertNotEquals(t1, t3);
        System.out.printf("credit1 scenario (e): %d events, same seed identical, other seed differs%n", t1.size());
    }

    private static List<TraceEvent> run(long seed) {
        try (Simulation s = sim(4, seed)) {
            s.create(dom("a", "run exp(2ms); sleep exp(5ms)").vcpus(3).build());
            s.create(dom("b", "run lognormal(1ms,0.8); sleep exp(1ms)").vcpus(2).weight(512).build());
            s.create(dom("c", "cpu").vcpus(2).cap(80).build());
            s.run(Duration.ofSeconds(2));
            return List.copyOf(s.trace());
        }
    }
}
