package org.hvkit.itest;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.CoreOptions.mavenBundle;

import java.util.Map;
import java.util.function.LongSupplier;
import javax.inject.Inject;
import org.apache.felix.service.command.CommandProcessor;
import org.hvkit.api.domain.DomainConfig;
import org.hvkit.api.pci.PciAssignment;
import org.hvkit.api.toolstack.GuestReport;
import org.hvkit.api.toolstack.Hypervisor;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;

/**
 * Device assignment in a real Felix on the simulated machine: the DMA engine and VT-d bundles
 * wired by DS, xl's pci commands through Gogo, and the IOMMU bundle stopped and updated under a
 * domain whose DMA phase copies all the while: while the unit is away no copy goes through (every
 * one faults with no IOMMU reason: blocked, not untranslated), and after it is back they do.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class DeviceAssignmentIT {
    @Inject
    CommandProcessor gogo;

    @Inject
    Hypervisor hv;

    @Inject
    PciAssignment pci;

    @Inject
    BundleContext bc;

    @Configuration
    public Option[] config() {
        return Framework.with(new String[] {"bundles/api:org.hvkit.api", "bundles/core:org.hvkit.core", "bundles/timer:org.hvkit.timer", "bundles/platform-sim:org.hvkit.platform.sim",
            "sched-credit1:org.hvkit.sched.credit1", "toolstack-xl:org.hvkit.toolstack.xl", "hw-dma-engine:org.hvkit.hw.dma", "hw-iommu-vtd:org.hvkit.iommu.vtd"},
                mavenBundle("org.apache.felix", "org.apache.felix.gogo.runtime", System.getProperty("felix.gogo.runtime.version")));
    }

    private long count(int domid, int key) {
        for (GuestReport r : hv.guestReports(domid)) if (r.key() == key) return r.count();
        return 0;
    }

    private static void waitFor(String what, LongSupplier v, long atLeast) throws InterruptedException {
        long end = System.currentTimeMillis() + 10_000;
        while (v.getAsLong() < atLeast) {
            if (System.currentTimeMillis() > end) throw new AssertionError(what + ": " + v.getAsLong() + " < " + atLeast);
            Thread.sleep(20);
        }
    }

    private Bundle vtd() {
        for (Bundle b : bc.getBundles()) if ("org.hvkit.iommu.vtd".equals(b.getSymbolicName())) return b;
        throw new AssertionError("no VT-d bundle");
    }

    @Test
    public void aStoppedOrUpdatedIommuLeavesNothingDmaingUntranslated() throws Exception {
        assertEquals("", Gogo.run(gogo, "xl pci-assignable-list").output());
        Gogo.run(gogo, "xl pci-assignable-add 03:00.0");
        assertEquals("0000:03:00.0\n", Gogo.run(gogo, "xl pci-assignable-list").output());
        int d = hv.createDomain(DomainConfig.builder("dma").vcpus(1).memoryMb(16)
                .platformOptions(Map.of("workload", "run 1ms dma 0x10000 0x20000 4096 every 100us; sleep 1ms")).build()).id();
        Gogo.run(gogo, "xl pci-attach dma 03:00.0");
        assertTrue(Gogo.run(gogo, "xl pci-list dma").output().contains("0000:03:00.0"));
        waitFor("copies", () -> count(d, 0xd0), 20);

        for (String how : new String[] {"stop", "update"}) {
            Bundle b = vtd();
            long faults = count(d, 0xd1);
            if (how.equals("stop")) b.stop();
            else b.update(); // stop, new classes, start: the unit is away in between
            if (how.equals("stop")) {
                long okWhileAway = count(d, 0xd0);
                waitFor("faults while the unit is away", () -> count(d, 0xd1), faults + 20);
                assertEquals("no copy went through while the unit was away", okWhileAway, count(d, 0xd0));
                String dmesg = String.join("\n", hv.readConsole(false));
                assertTrue(dmesg, dmesg.contains("pci: IOMMU VT-d is gone; 1 assigned device(s) blocked until one is back"));
                b.start();
            }
            long ok = count(d, 0xd0);
            waitFor("copies after " + how, () -> count(d, 0xd0), ok + 20);
            assertTrue(String.join("\n", hv.readConsole(false)).contains("pci: IOMMU VT-d is here; 1 assigned device(s) re-attached through it"));
        }
        assertEquals("no mismatched copy, ever", 0, count(d, 0xd2));
        hv.destroyDomain(d);
        long end = System.currentTimeMillis() + 5_000;
        while (!pci.assignable().contains(org.hvkit.api.pci.PciAddress.parse("03:00.0")) && System.currentTimeMillis() < end) Thread.sleep(20);
        assertNotNull(pci.assignable());
        assertEquals("0000:03:00.0\n", Gogo.run(gogo, "xl pci-assignable-list").output());
    }
}
