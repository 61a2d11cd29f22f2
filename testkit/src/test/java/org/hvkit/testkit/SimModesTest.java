package org.hvkit.testkit;

import static org.junit.jupiter.api.Assertions.*;

import java.util.Map;
import org.hvkit.api.domain.CpuMask;
import org.hvkit.api.domain.DomainConfig;
import org.hvkit.api.platform.HostTopology;
import org.hvkit.core.internal.CoreConfig;
import org.hvkit.core.internal.HypervisorCore;
import org.hvkit.platform.sim.internal.SimConfig;
import org.hvkit.platform.sim.internal.SimPlatform;
import org.hvkit.timer.internal.TimerFactoryComponent;
import org.junit.jupiter.api.Test;

/** The driver thread of the simulated machine: paced to the wall clock, or free-running. */
class SimModesTest {
    private static HypervisorCore boot(SimConfig.Mode mode) {
        SimPlatform p = new SimPlatform(new SimConfig(HostTopology.of(1, 2, 1, 1, 4L << 30), 1, mode, 1.0), new TimerFactoryComponent());
        HypervisorCore core = new HypervisorCore(p, CoreConfig.defaults().withDefaultScheduler("fifo"));
        core.addScheduler(new FifoScheduler.Provider());
        core.start();
        core.createDomain(DomainConfig.builder("hog").cpus(CpuMask.of(1)).platformOptions(Map.of("workload", "cpu")).build());
        return core;
    }

    @Test
    void pacedModeFollowsTheWallClock() throws InterruptedException {
        HypervisorCore core = boot(SimConfig.Mode.PACED);
        try {
            long v0 = core.now(), w0 = System.nanoTime();
            Thread.sleep(400);
            long cpu = core.findDomain("hog").orElseThrow().cpuTimeNs();
            long virt = core.now() - v0, wall = System.nanoTime() - w0;
            // virtual time tracks wall time (the read itself catches up to the wall clock)
            assertTrue(virt >= 0.8 * 400e6 && virt <= wall + 50_000_000L, "virtual " + virt + " ns vs wall " + wall + " ns");
            assertTrue(cpu >= 0.8 * 400e6 && cpu <= core.now(), "a hog alone on its pCPU runs all the time: " + cpu);
        } finally {
            core.stop();
        }
    }

    @Test
    void fastModeRunsAheadOfTheWallClock() throws InterruptedException {
        HypervisorCore core = boot(SimConfig.Mode.FAST);
        try {
            Thread.sleep(300);
            assertTrue(core.now() > 3_000_000_000L, "free-running simulation should be far ahead: " + core.now());
            // the machine keeps running between reads, so the domain's snapshot is bounded by a read on either side
            long before = core.now();
            var hog = core.findDomain("hog").orElseThrow();
            long ran = hog.cpuTimeNs();
            long after = core.now();
            assertTrue(ran >= 0.99 * (before - hog.createdAtNs()) && ran <= after - hog.createdAtNs(),
                    "alone on its pCPU since creation: ran " + ran + " ns of " + (before - hog.createdAtNs()) + ".." + (after - hog.createdAtNs()));
        } finally {
            core.stop();
        }
    }

    @Test
    void aCallWhoseCatchUpHitAStuckHookIsCarriedOutOnAFreshThread() throws Exception {
        HypervisorCore core = boot(SimConfig.Mode.PACED);
        try {
            core.addScheduler(MisbehavingSchedulers.spinningInCatchUp());
            core.switchScheduler(0, "catchupspinner");
            long t0 = System.nanoTime();
            // every call answers, also the one whose catch-up ran the stuck do_schedule: a findDomain, or on a
            // loaded host the pools() read itself (the log below names the abandoned toolstack thread either way)
            do {
                core.findDomain("hog").orElseThrow().cpuTimeNs();
                Thread.sleep(0, 200_000);
            } while (core.pools().get(0).scheduler().equals("catchupspinner") && System.nanoTime() - t0 < 10_000_000_000L);
            String log = String.join("\n", core.readConsole(false));
            assertEquals("fifo", core.pools().get(0).scheduler(), log);
            assertTrue(log.matches("(?s).*scheduler catchupspinner evicted: wall-clock bound: do_schedule on cpu \\d did not return for \\d+ ms.*thread hvkit-toolstack-\\d+ abandoned.*"), log);
            // the abandoned thread comes back from the hook after 2 s; it must never serve a call again
            Thread.sleep(2500);
            java.util.concurrent.ExecutorService callers = java.util.concurrent.Executors.newSingleThreadExecutor();
            try {
                for (int i = 0; i < 20; i++) {
                    var answer = callers.submit(() -> core.findDomain("hog").orElseThrow().cpuTimeNs());
                    assertTrue(answer.get(5, java.util.concurrent.TimeUnit.SECONDS) > 0, "call " + i + " after the abandoned thread returned");
                }
            } catch (java.util.concurrent.TimeoutException e) {
                fail("a toolstack call never answered after the abandoned thread came back");
            } finally {
                callers.shutdownNow();
            }
        } finally {
            core.stop();
        }
    }
}
