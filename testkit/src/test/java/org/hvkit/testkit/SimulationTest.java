package org.hvkit.testkit;

import static org.junit.jupiter.api.Assertions.*;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.hvkit.api.domain.CpuMask;
import org.hvkit.api.domain.DomainConfig;
import org.hvkit.api.domain.DomainInfo;
import org.hvkit.api.platform.HostTopology;
import org.hvkit.api.toolstack.HypervisorException;
import org.junit.jupiter.api.Test;

class SimulationTest {
    private static Simulation sim(long seed) {
        return Simulation.builder().topology(HostTopology.of(1, 4, 1, 1, 8L << 30)).seed(seed)
                .scheduler(new FifoScheduler.Provider()).trace(true).build();
    }

    private static DomainConfig dom(String name, String workload, CpuMask cpus) {
        return DomainConfig.builder(name).vcpus(1).cpus(cpus).memoryMb(256).platformOptions(Map.of("workload", workload)).build();
    }

    @Test
    void cpuHogsShareOnePcpuAndAccountEveryNanosecond() {
        try (Simulation s = sim(1)) {
            DomainInfo a = s.create(dom("a", "cpu", CpuMask.of(0)));
            DomainInfo b = s.create(dom("b", "cpu", CpuMask.of(0)));
            s.run(Duration.ofSeconds(2));
            long ta = s.cpuTimeNs(a.id()), tb = s.cpuTimeNs(b.id());
            assertEquals(2_000_000_000L, ta + tb, "one pCPU, two hogs: the pCPU is never idle");
            assertEquals(1_000_000_000L, ta, 10_000_000L);
            assertTrue(s.trace().stream().filter(e -> e.kind() == TraceEvent.Kind.RUN).allMatch(e -> e.cpu() == 0));
        }
    }

    @Test
    void sleepingWorkloadUsesItsDutyCycle() {
        try (Simulation s = sim(1)) {
            DomainInfo a = s.create(dom("a", "run 2ms; sleep 8ms", CpuMask.of(1)));
            s.run(Duration.ofSeconds(1));
            assertEquals(200_000_000L, s.cpuTimeNs(a.id()), 2_000_000L);
        }
    }

    @Test
    void sameSeedSameTraceDifferentSeedDifferentTrace() {
        List<TraceEvent> t1, t2, t3;
        try (Simulation s = sim(7)) {
            s.create(dom("a", "run exp(1ms); sleep exp(3ms)", CpuMask.of(0)));
            s.create(dom("b", "run lognormal(2ms,0.5); sleep 1ms", CpuMask.of(0)));
            s.run(Duration.ofMillis(500));
            t1 = List.copyOf(s.trace());
        }
        try (Simulation s = sim(7)) {
            s.create(dom("a", "run exp(1ms); sleep exp(3ms)", CpuMask.of(0)));
            s.create(dom("b", "run lognormal(2ms,0.5); sleep 1ms", CpuMask.of(0)));
            s.run(Duration.ofMillis(500));
            t2 = List.copyOf(s.trace());
        }
        try (Simulation s = sim(8)) {
            s.create(dom("a", "run exp(1ms); sleep exp(3ms)", CpuMask.of(0)));
            s.create(dom("b", "run lognormal(2ms,0.5); sleep 1ms", CpuMask.of(0)));
            s.run(Duration.ofMillis(500));
            t3 = List.copyOf(s.trace());
        }
        assertTrue(t1.size() > 100);
        assertEquals(t1, t2);
        assertNotEquals(t1, t3);
    }

    @Test
    void failedCreateLeavesNothingBehind() {
        try (Simulation s = sim(1)) {
            long free = s.hypervisor().physInfo().freeMemoryMb();
            HypervisorException e = assertThrows(HypervisorException.class, () -> s.create(dom("bad", "run fast", CpuMask.of(0))));
            assertTrue(e.getMessage().contains("workload \"run fast\", phase 1"), e.getMessage());
            assertEquals(1, s.hypervisor().listDomains().size());
            assertEquals(free, s.hypervisor().physInfo().freeMemoryMb());
            s.create(dom("ok", "cpu", CpuMask.of(0)));
            HypervisorException dup = assertThrows(HypervisorException.class, () -> s.create(dom("ok", "cpu", CpuMask.of(0))));
            assertEquals("domain with name \"ok\" already exists.", dup.getMessage());
            assertEquals(2, s.hypervisor().listDomains().size());
        }
    }

    @Test
    void destroyAndPauseStopTheClock() {
        try (Simulation s = sim(1)) {
            DomainInfo a = s.create(dom("a", "cpu", CpuMask.of(2)));
            s.run(Duration.ofMillis(100));
            s.hypervisor().pauseDomain(a.id());
            long t = s.cpuTimeNs(a.id());
            s.run(Duration.ofMillis(100));
            assertEquals(t, s.cpuTimeNs(a.id()));
            assertEquals("--p---", s.hypervisor().domain(a.id()).orElseThrow().stateString());
            s.hypervisor().unpauseDomain(a.id());
            s.run(Duration.ofMillis(100));
            assertEquals(200_000_000L, s.cpuTimeNs(a.id()), 1_000_000L);
            long free = s.hypervisor().physInfo().freeMemoryMb();
            s.hypervisor().destroyDomain(a.id());
            assertEquals(free + 256, s.hypervisor().physInfo().freeMemoryMb());
            assertTrue(s.hypervisor().domain(a.id()).isEmpty());
            s.run(Duration.ofMillis(100));
        }
    }
}
