package org.hvkit.itest;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.CoreOptions.frameworkProperty;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import javax.inject.Inject;
import org.hvkit.api.domain.CpuMask;
import org.hvkit.api.domain.DomainConfig;
import org.hvkit.api.toolstack.Hypervisor;
import org.hvkit.api.toolstack.PoolBounds;
import org.hvkit.api.toolstack.PoolInfo;
import org.junit.Assume;
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
 * Issue 15's acceptance on KVM in a real Felix: the faulty schedulers hot-deployed into a pool of
 * their own while real guests (burn) run in both pools — spinning, sleeping, 1 ns slices, a
 * tickle storm, hoarding, throwing, an invalid decision, and calling System.exit, Runtime.halt or stopping the system
 * bundle (refused by the exit guard) — each evicts only its pool's scheduler, a stuck pCPU thread
 * gets a successor, and both guests run on. Skipped without
 * /dev/kvm (the framework then boots the simulated machine, and the test does not run).
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerMethod.class)
public class KvmContainmentIT {
    private static final boolean KVM = Files.isReadable(Path.of("/dev/kvm")) && Files.isWritable(Path.of("/dev/kvm"));

    @Inject
    Hypervisor hv;

    @Inject
    BundleContext bc;

    @Configuration
    public Option[] config() throws Exception {
        Path images = Path.of(System.getProperty("hvkit.root"), "itest", "target", "guest-images");
        Files.createDirectories(images);
        org.hvkit.guests.Guests.writeAll(images);
        String platform = KVM ? "bundles/platform-kvm:org.hvkit.platform.kvm" : "bundles/platform-sim:org.hvkit.platform.sim";
        return Framework.with(new String[] {"bundles/api:org.hvkit.api", "bundles/core:org.hvkit.core", "bundles/timer:org.hvkit.timer", platform,
            "sched-credit1:org.hvkit.sched.credit1"},
                frameworkProperty("hvkit.platform").value(KVM ? "kvm" : "sim"),
                frameworkProperty("hvkit.itest.images").value(images.toString()));
    }

    private DomainConfig burn(String name, String pool) {
        DomainConfig.Builder b = DomainConfig.builder(name).memoryMb(8)
                .platformOptions(Map.of("kernel", Path.of(bc.getProperty("hvkit.itest.images"), "burn.hvk").toString()));
        if (pool != null) b.pool(pool);
        return b.build();
    }

    private long cpu(String name) {
        return hv.findDomain(name).orElseThrow().cpuTimeNs();
    }

    private static boolean waitFor(java.util.function.BooleanSupplier c, long ms) throws InterruptedException {
        long end = System.nanoTime() + ms * 1_000_000L;
        while (System.nanoTime() < end) {
            if (c.getAsBoolean()) return true;
            Thread.sleep(5);
        }
        return c.getAsBoolean();
    }

    @Test
    public void eachFaultCostsOnlyItsPoolOnKvm() throws Exception {
        Assume.assumeTrue("no usable /dev/kvm here: the KVM containment test is skipped", KVM);
        assertEquals("kvm", hv.physInfo().platform());
        int n = hv.physInfo().topology().nrCpus();
        Assume.assumeTrue("needs two pCPUs", n >= 2);
        Bundle bad = bc.installBundle(Framework.jar("itest/test-schedulers", "org.hvkit.itest.schedulers"));
        bad.start();
        CpuMask last = CpuMask.parse(String.valueOf(n - 1), n);
        hv.removePoolCpus(0, last);
        PoolInfo faulty = hv.createPool("faulty", "credit", last);
        PoolBounds b = hv.bounds(faulty.id());
        hv.setBounds(faulty.id(), new PoolBounds(b.stallNs(), 250_000_000L, 32L << 20, b.ratePerCpuMs()));
        hv.createDomain(burn("steady", null));
        hv.createDomain(burn("inmate", "faulty"));
        assertTrue("both guests run", waitFor(() -> cpu("steady") > 50_000_000L && cpu("inmate") > 50_000_000L, 10_000));
        // the faults begin after 200 good decisions (~2 s of 30 ms slices here): the figure counts from the switch
        StringBuilder figures = new StringBuilder("fault          eviction (ms)   worst toolstack call (ms)   steady's gap (ms)\n");
        for (String[] f : new String[][] {{"spinner", "wall-clock bound"}, {"sleeper", "wall-clock bound"}, {"tinyslices", "rate bound"},
            {"ticklestorm", "rate bound"}, {"hoarder", "allocation bound"}, {"thrower", "do_schedule on cpu"},
            {"exiter", "do_schedule on cpu"}, {"halter", "do_schedule on cpu"}, {"stopper", "do_schedule on cpu"}, {"liar", "do_schedule on cpu"}}) {
            String name = f[0];
            hv.readConsole(true);
            long t0 = System.nanoTime();
            long evictedMs, worst, gap;
            try (Prober p = new Prober(hv, "steady")) {
                hv.switchScheduler(faulty.id(), name);
                assertTrue(name + " evicted", waitFor(() -> !hv.findPool("faulty").orElseThrow().scheduler().equals(name), 10_000));
                evictedMs = (System.nanoTime() - t0) / 1_000_000;
                Thread.sleep(300);
                p.close();
                worst = p.worstCallNs.get() / 1_000_000;
                assertEquals(name + ": every toolstack call answered", null, p.failed);
                gap = p.worstGapNs.get() / 1_000_000;
            }
            // the toolstack answers within the bound plus a loaded host's seconds (a stuck hook holds 8 s); Pool-0 never stalls
            assertTrue(name + ": the toolstack answered within " + worst + " ms", worst < 250 + 3000);
            assertTrue(name + ": steady in Pool-0 stalled for " + gap + " ms", gap < 1000);
            long s0 = cpu("steady"), i0 = cpu("inmate");
            assertTrue(name + ": steady in Pool-0 runs on", waitFor(() -> cpu("steady") > s0 + 100_000_000L, 10_000));
            assertTrue(name + ": the inmate runs on under the fallback", waitFor(() -> cpu("inmate") > i0 + 100_000_000L, 10_000));
            String log = String.join("\n", hv.readConsole(false));
            assertTrue(name + ": the record names the bound\n" + log, log.contains("scheduler " + name + " evicted: " + f[1]));
            assertEquals("credit", hv.findPool("faulty").orElseThrow().scheduler());
            figures.append(String.format(Locale.ROOT, "%-14s %13d   %25d   %18d%n", name, evictedMs, worst, gap));
        }
        System.out.println("KvmContainmentIT (KVM on PVM, real Felix, hook bound 250 ms, 2 shared cores):\n" + figures);
        bad.update();
        long u = cpu("inmate");
        assertTrue("the inmate runs on after the jar was updated", waitFor(() -> cpu("inmate") > u + 50_000_000L, 10_000));
        bad.uninstall();
        long i = cpu("inmate");
        assertTrue("the inmate runs on after the jar went", waitFor(() -> cpu("inmate") > i + 50_000_000L, 10_000));
    }
}
