package org.hvkit.examples.sedf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Map;
import org.hvkit.api.domain.CpuMask;
import org.hvkit.api.domain.DomainConfig;
import org.hvkit.api.domain.DomainInfo;
import org.hvkit.api.platform.HostTopology;
import org.hvkit.api.toolstack.HypervisorException;
import org.hvkit.testkit.Simulation;
import org.junit.jupiter.api.Test;

/** SEDF on the real core and simulated machine: reservations, extra time, parameter checks. */
class SedfSchedulerTest {
    static final long MS = 1_000_000L;

    static Simulation host() {
        return Simulation.builder().topology(HostTopology.of(1, 2, 1, 1, 8L << 30))
                .scheduler(new SedfProvider()).defaultScheduler("sedf").seed(1).build();
    }

    static DomainInfo hog(Simulation sim, String name) {
        return sim.create(DomainConfig.builder(name).cpus(CpuMask.of(0)).platformOptions(Map.of("workload", "cpu")).build());
    }

    static Map<String, Long> realTime(long periodMs, long sliceMs, long extra) {
        return Map.of("period", periodMs * MS, "slice", sliceMs * MS, "weight", 0L, "extratime", extra);
    }

    @Test
    void reservationsWithoutExtraTimeLeaveTheRestIdle() {
        try (Simulation sim = host()) {
            DomainInfo a = hog(sim, "a"), b = hog(sim, "b");
            sim.hypervisor().setDomainSchedParams(a.id(), realTime(10, 2, 0));
            sim.hypervisor().setDomainSchedParams(b.id(), realTime(20, 6, 0));
            sim.run(Duration.ofMillis(200)); // the deadlines set while best effort run out first
            long a0 = sim.cpuTimeNs(a.id()), b0 = sim.cpuTimeNs(b.id());
            sim.run(Duration.ofSeconds(2));
            assertEquals(0.20, (sim.cpuTimeNs(a.id()) - a0) / 2e9, 0.01, "2 ms of every 10");
            assertEquals(0.30, (sim.cpuTimeNs(b.id()) - b0) / 2e9, 0.01, "6 ms of every 20; half the pCPU idles");
        }
    }

    @Test
    void aReservationHoldsBesideABestEffortHogThatTakesTheRest() {
        try (Simulation sim = host()) {
            DomainInfo rt = hog(sim, "rt"), be = hog(sim, "be");
            sim.hypervisor().setDomainSchedParams(rt.id(), realTime(10, 3, 0));
            sim.run(Duration.ofMillis(200));
            long r0 = sim.cpuTimeNs(rt.id()), e0 = sim.cpuTimeNs(be.id());
            sim.run(Duration.ofSeconds(2));
            assertEquals(0.30, (sim.cpuTimeNs(rt.id()) - r0) / 2e9, 0.01, "its reservation, no more");
            assertEquals(0.70, (sim.cpuTimeNs(be.id()) - e0) / 2e9, 0.02, "best effort runs in the extra time");
        }
    }

    @Test
    void weightsBecomeSlicesOfAHundredMilliseconds() {
        try (Simulation sim = host()) {
            DomainInfo a = hog(sim, "a"), b = hog(sim, "b");
            sim.hypervisor().setDomainSchedParams(a.id(), Map.of("weight", 1L, "period", 0L, "slice", 0L, "extratime", 0L));
            sim.hypervisor().setDomainSchedParams(b.id(), Map.of("weight", 3L, "period", 0L, "slice", 0L, "extratime", 0L));
            Map<String, Long> pa = sim.hypervisor().domainSchedParams(a.id()), pb = sim.hypervisor().domainSchedParams(b.id());
            assertEquals(100 * MS, pa.get("period"));
            assertEquals(95 * MS / 4, pa.get("slice"), "weight 1 of 4 of the 95 ms left after the safety margin");
            assertEquals(3 * 95 * MS / 4, pb.get("slice"));
            sim.run(Duration.ofMillis(200));
            long a0 = sim.cpuTimeNs(a.id()), b0 = sim.cpuTimeNs(b.id());
            sim.run(Duration.ofSeconds(3));
            double sa = (sim.cpuTimeNs(a.id()) - a0) / 3e9, sb = (sim.cpuTimeNs(b.id()) - b0) / 3e9;
            assertEquals(0.2375, sa, 0.01);
            assertEquals(0.7125, sb, 0.01);
        }
    }

    @Test
    void aVcpuPausedAndUnpausedWhileItRanIsNotLost() {
        try (Simulation sim = host()) {
            DomainInfo a = hog(sim, "a");
            sim.hypervisor().setDomainSchedParams(a.id(), realTime(10, 5, 0));
            sim.run(Duration.ofMillis(102)); // inside a slice: it is running now
            sim.hypervisor().pauseDomain(a.id());
            sim.hypervisor().unpauseDomain(a.id()); // before its pCPU rescheduled
            long t0 = sim.cpuTimeNs(a.id());
            sim.run(Duration.ofSeconds(1));
            assertEquals(0.5, (sim.cpuTimeNs(a.id()) - t0) / 1e9, 0.02, "still gets its 5 ms of every 10");
        }
    }

    @Test
    void badParametersAreRefusedAndChangeNothing() {
        try (Simulation sim = host()) {
            DomainInfo a = hog(sim, "a");
            Map<String, Long> before = sim.hypervisor().domainSchedParams(a.id());
            HypervisorException e = assertThrows(HypervisorException.class, () -> sim.hypervisor().setDomainSchedParams(a.id(), realTime(10, 20, 0)));
            assertTrue(e.getMessage().contains("slice 20000000 ns longer than the period 10000000 ns"), e.getMessage());
            assertThrows(HypervisorException.class, () -> sim.hypervisor().setDomainSchedParams(a.id(), Map.of("period", 0L, "weight", 0L)));
            assertThrows(HypervisorException.class, () -> sim.hypervisor().setDomainSchedParams(a.id(), realTime(20_000, 10, 0)));
            assertEquals(before, sim.hypervisor().domainSchedParams(a.id()));
            assertEquals(Map.of("period", 100 * MS, "slice", 0L, "latency", 0L, "extratime", 1L, "weight", 0L), before, "best effort, as 4.2 reports it");
        }
    }
}
