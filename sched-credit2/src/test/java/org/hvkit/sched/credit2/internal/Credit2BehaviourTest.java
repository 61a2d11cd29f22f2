package org.hvkit.sched.credit2.internal;

import static org.junit.jupiter.api.Assertions.*;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.hvkit.api.domain.CpuMask;
import org.hvkit.api.domain.DomainConfig;
import org.hvkit.api.domain.DomainInfo;
import org.hvkit.api.platform.HostTopology;
import org.hvkit.api.sched.Decision;
import org.hvkit.api.sched.SchedDomain;
import org.hvkit.api.sched.SchedVcpu;
import org.hvkit.api.sched.Scheduler;
import org.hvkit.api.sched.SchedulerContext;
import org.hvkit.api.sched.SchedulerProvider;
import org.hvkit.api.toolstack.HypervisorException;
import org.hvkit.testkit.Simulation;
import org.hvkit.testkit.TraceEvent;
import org.junit.jupiter.api.Test;

/** credit2 specifics: credit resets, soft affinity, wake latency figures, validation that changes nothing, decision cost at 4096 pCPUs. */
class Credit2BehaviourTest {

    /** Wraps credit2, keeping its instances and timing do_schedule. */
    static final class Probe implements SchedulerProvider {
        final Credit2Provider inner = new Credit2Provider();
        final List<Credit2Scheduler> instances = new ArrayList<>();
        long decisions, nanos;

        @Override public String name() { return inner.name(); }
        @Override public String optName() { return inner.optName(); }
        @Override public int schedulerId() { return inner.schedulerId(); }
        @Override public Map<String, Long> defaultPoolParams() { return inner.defaultPoolParams(); }
        @Override public Map<String, Long> defaultDomainParams() { return inner.defaultDomainParams(); }

        @Override
        public Scheduler create(SchedulerContext ctx, Map<String, Long> p) {
            Credit2Scheduler s = (Credit2Scheduler) inner.create(ctx, p);
            instances.add(s);
            return new Scheduler() {
                @Override public void addPcpu(int cpu) { s.addPcpu(cpu); }
                @Override public void removePcpu(int cpu) { s.removePcpu(cpu); }
                @Override public void addDomain(SchedDomain d, Map<String, Long> m) { s.addDomain(d, m); }
                @Override public void removeDomain(SchedDomain d) { s.removeDomain(d); }
                @Override public void insertVcpu(SchedVcpu v) { s.insertVcpu(v); }
                @Override public void removeVcpu(SchedVcpu v) { s.removeVcpu(v); }
                @Override public void sleep(SchedVcpu v) { s.sleep(v); }
                @Override public void wake(SchedVcpu v) { s.wake(v); }
                @Override public void yield(SchedVcpu v) { s.yield(v); }
                @Override public void contextSaved(SchedVcpu v) { s.contextSaved(v); }

                @Override
                public Decision doSchedule(int cpu, long now, SchedVcpu current) {
                    long t0 = System.nanoTime();
                    Decision d = s.doSchedule(cpu, now, current);
                    nanos += System.nanoTime() - t0;
                    decisions++;
                    return d;
                }

                @Override public int pickCpu(SchedVcpu v) { return s.pickCpu(v); }
                @Override public void affinityChanged(SchedVcpu v) { s.affinityChanged(v); }
                @Override public Map<String, Long> getDomainParams(SchedDomain d) { return s.getDomainParams(d); }
                @Override public void setDomainParams(SchedDomain d, Map<String, Long> m) { s.setDomainParams(d, m); }
                @Override public Map<String, Long> getPoolParams() { return s.getPoolParams(); }
                @Override public void setPoolParams(Map<String, Long> m) { s.setPoolParams(m); }
                @Override public void dump(PrintWriter out) { s.dump(out); }
                @Override public void shutdown() { s.shutdown(); }
            };
        }
    }

    private static DomainConfig.Builder dom(String name, String workload) {
        return DomainConfig.builder(name).memoryMb(64).platformOptions(Map.of("workload", workload));
    }

    @Test
    void creditResetsHappenWhenTheChosenVcpuRunsOutAndKeepCreditsBounded() {
        try (Simulation s = Simulation.builder().topology(HostTopology.of(1, 1, 1, 1, 8L << 30)).scheduler(new Credit2Provider()).build()) {
            DomainInfo a = s.create(dom("a", "cpu").build());
            DomainInfo b = s.create(dom("b", "cpu").build());
            s.run(Duration.ofSeconds(1));
            String dump = String.join("\n", s.hypervisor().dumpSchedulers());
            Matcher m = Pattern.compile("credit resets\\s+= (\\d+)").matcher(dump);
            assertTrue(m.find(), dump);
            long resets = Long.parseLong(m.group(1));
            // two equal hogs burn CREDIT_INIT (10 ms) each between resets: about one reset per 20 ms
            assertTrue(resets >= 35 && resets <= 70, "resets in 1 s: " + resets);
            Matcher c = Pattern.compile("credit=(-?\\d+)").matcher(dump);
            while (c.find()) {
                long credit = Long.parseLong(c.group(1));
                assertTrue(credit >= Credit2Scheduler.CREDIT_MIN && credit <= Credit2Scheduler.CREDIT_INIT + Credit2Scheduler.CARRYOVER_MAX, dump);
            }
            assertEquals(s.cpuTimeNs(a.id()), s.cpuTimeNs(b.id()), 12_000_000L, "equal weights, equal time within a slice");
            System.out.println("credit resets in 1 s with two hogs on one pCPU: " + resets);
        }
    }

    @Test
    void softAffinityIsPreferredWhenItsPcpuIsFree() {
        try (Simulation s = Simulation.builder().topology(HostTopology.of(1, 4, 1, 1, 8L << 30)).scheduler(new Credit2Provider()).trace(true).build()) {
            DomainInfo d = s.create(dom("soft", "run 1ms; sleep 3ms").cpusSoft(CpuMask.of(2)).build());
            s.run(Duration.ofSeconds(1));
            List<TraceEvent> runs = s.trace().stream().filter(e -> e.kind() == TraceEvent.Kind.RUN && e.domid() == d.id() && e.timeNs() > 10_000_000L).toList();
            long onSoft = runs.stream().filter(e -> e.cpu() == 2).count();
            assertTrue(runs.size() > 200);
            assertEquals(runs.size(), onSoft, "every wake-up went to the idle soft-affine pCPU 2");
        }
    }

    @Test
    void wakeLatencyBesideHogsStaysFarBelowACredit1Slice() {
        try (Simulation s = Simulation.builder().topology(HostTopology.of(1, 2, 1, 1, 8L << 30)).scheduler(new Credit2Provider()).trace(true).build()) {
            for (int i = 0; i < 4; i++) s.create(dom("hog" + i, "cpu").build());
            DomainInfo ping = s.create(dom("ping", "run 100us; sleep exp(4ms)").build());
            s.run(Duration.ofSeconds(5));
            List<Long> lat = new java.util.ArrayList<>(org.hvkit.testkit.Traces.wakeLatencies(s.trace(), ping.id(), 0, 0));
            lat.sort(null);
            long p50 = lat.get(lat.size() / 2), p99 = lat.get(lat.size() * 99 / 100), max = lat.get(lat.size() - 1);
            System.out.printf("wake latency of a pinger beside 4 hogs on 2 pCPUs (%d wake-ups): p50 %d us, p99 %d us, max %d us%n", lat.size(), p50 / 1000, p99 / 1000, max / 1000);
            assertTrue(lat.size() > 1000);
            assertTrue(p99 < 1_100_000L && max < 3_000_000L, "credit1's timeslice is 30 ms; max " + max);
        }
    }

    @Test
    void rejectedParametersChangeNothing() {
        try (Simulation s = Simulation.builder().topology(HostTopology.of(1, 2, 1, 1, 8L << 30)).scheduler(new Credit2Provider()).build()) {
            var hv = s.hypervisor();
            DomainInfo d = s.create(dom("d", "cpu").vcpus(2).weight(300).cap(50).build());
            assertThrows(HypervisorException.class, () -> hv.setDomainSchedParams(d.id(), Map.of("weight", 512L, "cap", 201L)));
            assertEquals(Map.of("weight", 300L, "cap", 50L), hv.domainSchedParams(d.id()), "the valid weight of a rejected request is not applied");
            assertThrows(HypervisorException.class, () -> hv.setDomainSchedParams(d.id(), Map.of("weight", 65536L)));
            assertThrows(HypervisorException.class, () -> hv.setPoolSchedParams(0, Map.of("ratelimit_us", 500001L)));
            assertEquals(Map.of("ratelimit_us", 1000L), hv.poolSchedParams(0));
            hv.setDomainSchedParams(d.id(), Map.of("cap", 0L));
            s.run(Duration.ofSeconds(1));
            assertEquals(2e9, s.cpuTimeNs(d.id()), 2e7, "cap removed: both vCPUs run freely");
        }
    }

    @Test
    void doScheduleCostAt4096Pcpus() {
        Probe probe = new Probe();
        // 4 sockets x 512 cores x 2 threads: 4096 pCPUs, 256 runqueues of 16
        try (Simulation s = Simulation.builder().topology(HostTopology.of(4, 512, 2, 4, 1L << 40)).scheduler(probe).dom0MemoryMb(512).build()) {
            for (int i = 0; i < 1024; i++) {
                s.create(DomainConfig.builder("g" + i).memoryMb(16).vcpus(6).weight(128 + (i % 8) * 64)
                        .platformOptions(Map.of("workload", i % 3 == 0 ? "cpu" : "run exp(1ms); sleep exp(2ms)")).build());
            }
            s.run(Duration.ofMillis(100)); // warm-up (JIT)
            probe.decisions = 0;
            probe.nanos = 0;
            s.run(Duration.ofMillis(200));
            double ns = (double) probe.nanos / probe.decisions;
            System.out.printf("do_schedule at 4096 pCPUs, 6144 vCPUs: %d decisions, %.0f ns each on average (System.nanoTime around the call)%n", probe.decisions, ns);
            assertTrue(probe.decisions > 100_000);
            assertTrue(ns < 1000, "mean do_schedule " + ns + " ns (target well under 200 ns on a quiet machine)");
        }
    }
}
