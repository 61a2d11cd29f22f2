package org.hvkit.testkit;

import static org.junit.jupiter.api.Assertions.*;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.hvkit.api.domain.CpuMask;
import org.hvkit.api.domain.DomainConfig;
import org.hvkit.api.domain.DomainInfo;
import org.hvkit.api.platform.HostTopology;
import org.hvkit.api.sched.SchedulerProvider;
import org.hvkit.api.toolstack.Hypervisor;
import org.hvkit.api.toolstack.HypervisorException;
import org.hvkit.api.toolstack.PoolInfo;
import org.junit.jupiter.api.Test;

/** CPU pools, live scheduler switches, eviction and the watchdog, on the real core. */
class PoolsTest {
    private static Simulation sim(SchedulerProvider... extra) {
        Simulation.Builder b = Simulation.builder().topology(HostTopology.of(2, 2, 1, 2, 8L << 30)).scheduler(new FifoScheduler.Provider()).trace(true);
        for (SchedulerProvider p : extra) b.scheduler(p);
        return b.build();
    }

    private static DomainConfig hog(String name, String pool) {
        return DomainConfig.builder(name).vcpus(2).memoryMb(128).pool(pool).platformOptions(Map.of("workload", "cpu")).build();
    }

    private static String dmesg(Hypervisor hv) {
        return String.join("\n", hv.readConsole(false));
    }

    @Test
    void poolsOwnTheirCpusAndFollowXensRules() {
        try (Simulation s = sim()) {
            Hypervisor hv = s.hypervisor();
            HypervisorException busy = assertThrows(HypervisorException.class, () -> hv.createPool("p1", "fifo", CpuMask.of(3)));
            assertEquals("cpu 3 illegal or not free", busy.getMessage());
            hv.removePoolCpus(0, CpuMask.range(2, 3));
            assertEquals(CpuMask.range(2, 3), hv.freeCpus());
            assertEquals("Unknown scheduler \"nope\" (available: fifo)", assertThrows(HypervisorException.class, () -> hv.createPool("p1", "nope", CpuMask.of(2))).getMessage());
            PoolInfo p1 = hv.createPool("p1", "fifo", CpuMask.range(2, 3));
            assertEquals(1, p1.id());
            assertEquals("Pool name \"p1\" already exists", assertThrows(HypervisorException.class, () -> hv.createPool("p1", "fifo", CpuMask.EMPTY)).getMessage());
            DomainInfo d = s.create(hog("web", "p1"));
            s.run(Duration.ofSeconds(1));
            assertEquals(2_000_000_000L, s.cpuTimeNs(d.id()), 1_000_000L, "two hogs' vCPUs own p1's two pCPUs");
            assertTrue(s.trace().stream().filter(e -> e.kind() == TraceEvent.Kind.RUN && e.domid() == d.id()).allMatch(e -> e.cpu() >= 2));
            assertThrows(HypervisorException.class, () -> hv.removePoolCpus(1, CpuMask.range(2, 3)), "a pool with domains keeps a cpu");
            HypervisorException destroy = assertThrows(HypervisorException.class, () -> hv.destroyPool(1));
            assertEquals(HypervisorException.Errno.EBUSY, destroy.errno());
            hv.removePoolCpus(1, CpuMask.of(3));
            s.run(Duration.ofSeconds(1));
            assertEquals(3_000_000_000L, s.cpuTimeNs(d.id()), 1_000_000L, "one pCPU left for both vCPUs");
            hv.destroyDomain(d.id());
            hv.destroyPool(1);
            assertEquals(List.of("Pool-0"), hv.pools().stream().map(PoolInfo::name).toList());
            assertEquals(CpuMask.range(2, 3), hv.freeCpus());
        }
    }

    @Test
    void domainsMoveBetweenPoolsKeepingWeightAndTime() {
        try (Simulation s = sim()) {
            Hypervisor hv = s.hypervisor();
            hv.removePoolCpus(0, CpuMask.of(3));
            hv.createPool("p1", "fifo", CpuMask.of(3));
            DomainInfo d = s.create(DomainConfig.builder("db").vcpus(1).weight(512).platformOptions(Map.of("workload", "cpu")).build());
            s.run(Duration.ofMillis(500));
            long before = s.cpuTimeNs(d.id());
            hv.migrateDomain(d.id(), 1);
            s.run(Duration.ofMillis(500));
            assertEquals(before + 500_000_000L, s.cpuTimeNs(d.id()), 1_000_000L);
            assertEquals(512L, hv.domainSchedParams(d.id()).get("weight"));
            assertEquals("p1", hv.domain(d.id()).orElseThrow().poolName());
            assertEquals(HypervisorException.Errno.EINVAL, assertThrows(HypervisorException.class, () -> hv.migrateDomain(0, 1)).errno());
        }
    }

    @Test
    void liveSwitchTenTimesLosesNothing() {
        SchedulerProvider other = new FifoScheduler.Provider() {
            @Override public String optName() { return "fifo2"; }
        };
        try (Simulation s = sim(other)) {
            Hypervisor hv = s.hypervisor();
            DomainInfo a = s.create(DomainConfig.builder("a").vcpus(3).weight(300).platformOptions(Map.of("workload", "cpu")).build());
            DomainInfo b = s.create(DomainConfig.builder("b").vcpus(2).platformOptions(Map.of("workload", "run 1ms; sleep 2ms")).build());
            for (int i = 0; i < 10; i++) {
                long ta = s.cpuTimeNs(a.id()), tb = s.cpuTimeNs(b.id());
                long pause = hv.switchScheduler(0, i % 2 == 0 ? "fifo2" : "fifo");
                assertTrue(pause > 0);
                s.run(Duration.ofMillis(200));
                assertTrue(s.cpuTimeNs(a.id()) > ta + 100_000_000L, "a keeps running after switch " + i);
                assertTrue(s.cpuTimeNs(b.id()) > tb + 50_000_000L, "b keeps waking and running after switch " + i);
                assertEquals(300L, hv.domainSchedParams(a.id()).get("weight"));
                assertEquals(3, hv.vcpus(a.id()).size());
                assertEquals(2, hv.vcpus(b.id()).size());
            }
            assertEquals("fifo", hv.pools().get(0).scheduler());
            assertTrue(dmesg(hv).contains("scheduler fifo2 -> fifo, 6 vcpus handed over, pause"), dmesg(hv));
        }
    }

    @Test
    void aThrowingSchedulerIsEvictedAndThePoolRunsOn() {
        try (Simulation s = sim(MisbehavingSchedulers.throwing(50))) {
            Hypervisor hv = s.hypervisor();
            DomainInfo d = s.create(hog("web", null));
            hv.switchScheduler(0, "thrower");
            s.run(Duration.ofSeconds(1));
            assertEquals("fifo", hv.pools().get(0).scheduler(), "fell back to the default");
            long t = s.cpuTimeNs(d.id());
            s.run(Duration.ofSeconds(1));
            assertEquals(t + 2_000_000_000L, s.cpuTimeNs(d.id()), 1_000_000L, "both vCPUs run on after the eviction");
            String log = dmesg(hv);
            assertTrue(log.contains("scheduler thrower evicted: do_schedule on cpu"), log);
            assertTrue(log.contains("scheduler bug after 50 decisions"), log);
            assertTrue(log.contains("decision at "), "the record lists the last decisions: " + log);
        }
    }

    @Test
    void anInvalidDecisionIsEvicted() {
        try (Simulation s = sim(MisbehavingSchedulers.invalid())) {
            Hypervisor hv = s.hypervisor();
            DomainInfo d = s.create(DomainConfig.builder("io").vcpus(1).platformOptions(Map.of("workload", "run 1ms; sleep 1ms")).build());
            hv.switchScheduler(0, "liar");
            s.run(Duration.ofMillis(100));
            assertEquals("fifo", hv.pools().get(0).scheduler());
            assertTrue(dmesg(hv).contains("returned an invalid decision d" + d.id() + "v0: not runnable"), dmesg(hv));
            long t = s.cpuTimeNs(d.id());
            s.run(Duration.ofMillis(100));
            assertEquals(t + 50_000_000L, s.cpuTimeNs(d.id()), 2_000_000L);
        }
    }

    @Test
    void theWatchdogEvictsAStallingSchedulerWithinItsBound() {
        try (Simulation s = sim(MisbehavingSchedulers.stalling("victim"))) {
            Hypervisor hv = s.hypervisor();
            hv.setWatchdogNs(0, 200_000_000L);
            s.create(hog("other", null));
            DomainInfo v = s.create(DomainConfig.builder("victim").vcpus(1).cpus(CpuMask.of(0)).platformOptions(Map.of("workload", "cpu")).build());
            long t0 = s.now();
            hv.switchScheduler(0, "staller");
            s.run(Duration.ofMillis(400));
            assertEquals("fifo", hv.pools().get(0).scheduler());
            String log = dmesg(hv);
            assertTrue(log.contains("scheduler staller evicted: stall: vcpu d" + v.id() + "v0 runnable for"), log);
            long t = s.cpuTimeNs(v.id());
            s.run(Duration.ofMillis(300));
            assertTrue(s.cpuTimeNs(v.id()) > t + 100_000_000L, "the victim runs after the eviction");
            // evicted within bound + one check period (bound/4)
            long evictedAfter = s.trace().stream().filter(e -> e.kind() == TraceEvent.Kind.RUN && e.domid() == v.id() && e.timeNs() > t0)
                    .mapToLong(TraceEvent::timeNs).min().orElseThrow() - t0;
            assertTrue(evictedAfter <= 250_000_000L + 1, "victim ran again " + evictedAfter + " ns after the stall began");
        }
    }

    @Test
    void operatorForcesFallbackAndSchedulerRemovalFallsBackToo() {
        SchedulerProvider fifo = new FifoScheduler.Provider();
        SchedulerProvider other = new FifoScheduler.Provider() {
            @Override public String optName() { return "fifo2"; }
        };
        try (Simulation s = Simulation.builder().topology(HostTopology.of(1, 2, 1, 1, 4L << 30)).scheduler(fifo).scheduler(other).build()) {
            Hypervisor hv = s.hypervisor();
            DomainInfo d = s.create(hog("web", null));
            hv.switchScheduler(0, "fifo2");
            hv.forceFallback(0, "testing");
            assertEquals("fifo", hv.pools().get(0).scheduler());
            assertTrue(dmesg(hv).contains("scheduler fifo2 evicted: forced by the operator: testing"));
            // the default scheduler's bundle goes away: the built-in round robin takes over
            s.core().removeScheduler(fifo);
            assertEquals("rr-fallback", hv.pools().get(0).scheduler());
            long t = s.cpuTimeNs(d.id());
            s.run(Duration.ofMillis(500));
            assertEquals(t + 1_000_000_000L, s.cpuTimeNs(d.id()), 1_000_000L);
            // and when it comes back, the pool returns to it
            s.core().addScheduler(fifo);
            assertEquals("fifo", hv.pools().get(0).scheduler());
            s.run(Duration.ofMillis(500));
            assertEquals(t + 2_000_000_000L, s.cpuTimeNs(d.id()), 1_000_000L);
        }
    }

    @Test
    void numaSplitMakesOnePoolPerNode() {
        try (Simulation s = sim()) {
            Hypervisor hv = s.hypervisor();
            List<PoolInfo> created = s.core().numaSplit();
            assertEquals(1, created.size());
            List<PoolInfo> pools = hv.pools();
            assertEquals("Pool-node0", pools.get(0).name());
            assertEquals(CpuMask.range(0, 1), pools.get(0).cpus());
            assertEquals("Pool-node1", pools.get(1).name());
            assertEquals(CpuMask.range(2, 3), pools.get(1).cpus());
            assertEquals("fifo", pools.get(1).scheduler());
            assertEquals(HypervisorException.Errno.EBUSY, assertThrows(HypervisorException.class, () -> s.core().numaSplit()).errno());
        }
    }
}
