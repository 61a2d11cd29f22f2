package org.hvkit.itest;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.util.List;
import java.util.Map;
import javax.inject.Inject;
import org.hvkit.api.domain.DomainConfig;
import org.hvkit.api.domain.DomainInfo;
import org.hvkit.api.toolstack.Hypervisor;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerMethod;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;

/**
 * Scheduler bundles swapped on a live host (issue 4): credit2's bundle updated, uninstalled and
 * installed again under load; a pool switched between credit1 and credit2 ten times; test-only
 * scheduler bundles that throw or stall evicted within the watchdog bound. After every step every
 * domain keeps accumulating CPU time, its weight and cap are unchanged and no vCPU is lost.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerMethod.class)
public class HotSwapIT {
    @Inject
    Hypervisor hv;

    @Inject
    BundleContext bc;

    @Configuration
    public Option[] config() {
        return Framework.with(new String[] {"bundles/api:org.hvkit.api", "bundles/core:org.hvkit.core", "bundles/timer:org.hvkit.timer", "bundles/platform-sim:org.hvkit.platform.sim",
            "sched-credit1:org.hvkit.sched.credit1", "sched-credit2:org.hvkit.sched.credit2"});
    }

    private static final List<String> DOMAINS = List.of("hog", "capped", "io");

    private void createLoad() {
        hv.createDomain(DomainConfig.builder("hog").vcpus(3).weight(512).platformOptions(Map.of("workload", "cpu")).build());
        hv.createDomain(DomainConfig.builder("capped").vcpus(2).cap(60).platformOptions(Map.of("workload", "cpu")).build());
        hv.createDomain(DomainConfig.builder("io").vcpus(2).weight(128).platformOptions(Map.of("workload", "run 1ms; sleep exp(2ms)")).build());
    }

    private long[] times() {
        return DOMAINS.stream().mapToLong(n -> hv.findDomain(n).orElseThrow().cpuTimeNs()).toArray();
    }

    /** Waits a little wall time (20x in virtual time) and checks that nothing was lost. */
    private void settleAndCheck(String step, String expectedScheduler) throws InterruptedException {
        long[] before = times();
        Thread.sleep(250);
        long[] after = times();
        for (int i = 0; i < DOMAINS.size(); i++) {
            assertTrue(step + ": " + DOMAINS.get(i) + " keeps accumulating CPU time", after[i] > before[i] + 100_000_000L);
        }
        DomainInfo hog = hv.findDomain("hog").orElseThrow(), capped = hv.findDomain("capped").orElseThrow(), io = hv.findDomain("io").orElseThrow();
        assertEquals(step, Map.of("weight", 512L, "cap", 0L), hv.domainSchedParams(hog.id()));
        assertEquals(step, Map.of("weight", 256L, "cap", 60L), hv.domainSchedParams(capped.id()));
        assertEquals(step, Map.of("weight", 128L, "cap", 0L), hv.domainSchedParams(io.id()));
        assertEquals(step, 3, hv.vcpus(hog.id()).size());
        assertEquals(step, 2, hv.vcpus(io.id()).size());
        assertEquals(step, expectedScheduler, hv.pools().get(0).scheduler());
    }

    private Bundle installed(String bsn) {
        for (Bundle b : bc.getBundles()) if (bsn.equals(b.getSymbolicName())) return b;
        return null;
    }

    @Test
    public void credit2BundleUpdatedUninstalledReinstalledAndTenSwitches() throws Exception {
        createLoad();
        hv.switchScheduler(0, "credit2");
        settleAndCheck("on credit2", "credit2");
        Bundle credit2 = installed("org.hvkit.sched.credit2");
        credit2.update();
        settleAndCheck("credit2 bundle updated", "credit2");
        credit2.uninstall();
        settleAndCheck("credit2 bundle uninstalled: fallen back to the default", "credit");
        credit2 = bc.installBundle(DistributionIT.jar("sched-credit2", "org.hvkit.sched.credit2"));
        credit2.start();
        settleAndCheck("credit2 installed again: the pool that asked for it moves back", "credit2");
        for (int i = 0; i < 10; i++) {
            String to = i % 2 == 0 ? "credit" : "credit2";
            hv.switchScheduler(0, to);
            settleAndCheck("switch " + (i + 1) + " to " + to, to);
        }
        String log = String.join("\n", hv.readConsole(false));
        assertTrue(log, log.contains("cpupool Pool-0: scheduler credit2 is going away"));
    }

    @Test
    public void misbehavingSchedulerBundlesAreEvictedWithinTheWatchdogBound() throws Exception {
        createLoad();
        Bundle bad = bc.installBundle(DistributionIT.jar("itest/test-schedulers", "org.hvkit.itest.schedulers"));
        bad.start();
        // a scheduler that throws: evicted at once, the pool runs on credit
        hv.switchScheduler(0, "thrower");
        settleAndCheck("thrower evicted", "credit");
        assertTrue(String.join("\n", hv.readConsole(false)).contains("scheduler thrower evicted: do_schedule on cpu"));
        // a scheduler that stalls a domain: evicted by the watchdog within its bound
        hv.setWatchdogNs(0, 500_000_000L);
        hv.createDomain(DomainConfig.builder("victim").platformOptions(Map.of("workload", "cpu")).build());
        hv.switchScheduler(0, "staller");
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (hv.pools().get(0).scheduler().equals("staller") && System.nanoTime() < deadline) Thread.sleep(5);
        assertEquals("credit", hv.pools().get(0).scheduler());
        String log = String.join("\n", hv.readConsole(false));
        var m = java.util.regex.Pattern.compile("scheduler staller evicted: stall: vcpu d\\d+v0 runnable for (\\d+) ms without running \\(bound 500 ms\\)").matcher(log);
        assertTrue(log, m.find());
        long waited = Long.parseLong(m.group(1));
        // checked every bound/4: evicted after more than the bound, before bound + one check period
        assertTrue("the victim waited " + waited + " ms before the eviction", waited > 500 && waited <= 500 + 125);
        assertTrue(log, log.contains("watchdog:   decision at "));
        settleAndCheck("staller evicted", "credit");
        assertTrue(hv.findDomain("victim").orElseThrow().cpuTimeNs() > 0);
    }
}
