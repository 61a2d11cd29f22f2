package org.hvkit.itest;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.CoreOptions.mavenBundle;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import javax.inject.Inject;
import org.apache.felix.service.command.CommandProcessor;
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
 * The default distribution's bundles booted in a real Felix (pax-exam, native container): the
 * simulated machine paced at 20x the wall clock, credit1, xl through Gogo.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerMethod.class)
public class DistributionIT {
    @Inject
    Hypervisor hv;

    @Inject
    CommandProcessor gogo;

    @Inject
    BundleContext bc;

    static String jar(String module, String artifact) {
        return Framework.jar(module, artifact);
    }

    @Configuration
    public Option[] config() {
        return Framework.with(new String[] {"bundles/api:org.hvkit.api", "bundles/core:org.hvkit.core", "bundles/timer:org.hvkit.timer", "bundles/platform-sim:org.hvkit.platform.sim",
            "sched-credit1:org.hvkit.sched.credit1", "toolstack-xl:org.hvkit.toolstack.xl"},
                mavenBundle("org.apache.felix", "org.apache.felix.gogo.runtime", System.getProperty("felix.gogo.runtime.version")));
    }

    private String gogo(String line) throws Exception {
        return Gogo.run(gogo, line).output();
    }

    @Test
    public void xlCreateThenXlListShowsTheDomain() throws Exception {
        Path cfg = Files.createTempFile("web", ".cfg");
        Files.writeString(cfg, "name = \"web\"\nmemory = 256\nvcpus = 2\nworkload = \"cpu\"\n");
        gogo("xl create " + cfg);
        String list = gogo("xl list");
        assertTrue(list, list.startsWith("Name                                        ID   Mem VCPUs\tState\tTime(s)\n"));
        assertTrue(list, list.matches("(?s).*\nweb +1 +256 +2 .*"));
        assertEquals("web", hv.findDomain("web").map(DomainInfo::name).orElse(null));
        assertEquals("credit", hv.pools().get(0).scheduler());
    }

    private long cpu(String name) {
        return hv.findDomain(name).orElseThrow().cpuTimeNs();
    }

    /** Every domain keeps accumulating CPU time while the scheduler bundle is updated, uninstalled and installed again. */
    @Test
    public void schedulerBundleSwapsUnderLoadLoseNothing() throws Exception {
        Path cfg = Files.createTempFile("hog", ".cfg");
        Files.writeString(cfg, "name = \"a\"\nvcpus = 2\ncpu_weight = 384\ncap = 150\nworkload = \"cpu\"\n");
        gogo("xl create " + cfg);
        Files.writeString(cfg, "name = \"b\"\nvcpus = 2\nworkload = \"run 1ms; sleep 2ms\"\n");
        gogo("xl create " + cfg);
        Bundle credit = null;
        for (Bundle b : bc.getBundles()) if (b.getSymbolicName().equals("org.hvkit.sched.credit1")) credit = b;
        String[] steps = {"update", "uninstall", "install"};
        for (String step : steps) {
            long ta = cpu("a"), tb = cpu("b");
            switch (step) {
                case "update" -> credit.update();
                case "uninstall" -> credit.uninstall();
                default -> {
                    credit = bc.installBundle(jar("sched-credit1", "org.hvkit.sched.credit1"));
                    credit.start();
                }
            }
            Thread.sleep(300);
            assertTrue(step + ": a keeps running", cpu("a") > ta + 1_000_000_000L);
            assertTrue(step + ": b keeps running", cpu("b") > tb + 500_000_000L);
            assertEquals(step, Map.of("weight", 384L, "cap", 150L), hv.domainSchedParams(hv.findDomain("a").orElseThrow().id()));
            assertEquals(step, 2, hv.vcpus(hv.findDomain("b").orElseThrow().id()).size());
            assertEquals(step, step.equals("uninstall") ? "rr-fallback" : "credit", hv.pools().get(0).scheduler());
        }
    }

    /** The Hypervisor service now registered, or null after waiting {@code ms} for it to be (or not be) there. */
    private Hypervisor awaitHypervisor(boolean present, long ms) throws InterruptedException {
        long end = System.currentTimeMillis() + ms;
        while (true) {
            org.osgi.framework.ServiceReference<Hypervisor> ref = bc.getServiceReference(Hypervisor.class);
            if ((ref != null) == present) return ref == null ? null : bc.getService(ref);
            if (System.currentTimeMillis() > end) throw new AssertionError("the Hypervisor service is " + (present ? "still missing" : "still registered") + " after " + ms + " ms");
            Thread.sleep(20);
        }
    }

    /** The timers are the machine: stopping their bundle takes the platform and the core down; starting it brings a fresh machine. */
    @Test
    public void stoppingTheTimerBundleStopsTheMachineAndStartingItBringsAFreshOne() throws Exception {
        Path cfg = Files.createTempFile("hog", ".cfg");
        Files.writeString(cfg, "name = \"a\"\nworkload = \"cpu\"\n");
        gogo("xl create " + cfg);
        assertTrue(hv.findDomain("a").isPresent());
        Bundle timer = null;
        for (Bundle b : bc.getBundles()) if (b.getSymbolicName().equals("org.hvkit.timer")) timer = b;
        timer.stop();
        awaitHypervisor(false, 5000);
        timer.start();
        Hypervisor fresh = awaitHypervisor(true, 5000);
        assertEquals("only Domain-0 on the new machine", 1, fresh.listDomains().size());
        DomainInfo b = fresh.createDomain(org.hvkit.api.domain.DomainConfig.builder("b").platformOptions(Map.of("workload", "cpu")).build());
        Thread.sleep(300);
        assertTrue("the new machine runs its domains", fresh.findDomain("b").orElseThrow().cpuTimeNs() > 0);
        assertEquals(b.id(), fresh.findDomain("b").orElseThrow().id());
    }
}
