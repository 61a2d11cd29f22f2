package org.hvkit.itest;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.CoreOptions.mavenBundle;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import javax.inject.Inject;
import org.apache.felix.service.command.CommandProcessor;
import org.hvkit.api.domain.DomainConfig;
import org.hvkit.api.memaccess.MemAccess;
import org.hvkit.api.p2m.P2mAccess;
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

/** The mem-access bundle in a real Felix on the simulated machine: hv xen-access through Gogo, and the example detector installed while the host runs. */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class MemAccessIT {
    @Inject
    CommandProcessor gogo;

    @Inject
    Hypervisor hv;

    @Inject
    MemAccess ma;

    @Inject
    BundleContext bc;

    @Configuration
    public Option[] config() {
        return Framework.with(new String[] {"bundles/api:org.hvkit.api", "bundles/core:org.hvkit.core", "bundles/timer:org.hvkit.timer", "bundles/platform-sim:org.hvkit.platform.sim",
            "sched-credit1:org.hvkit.sched.credit1", "toolstack-xl:org.hvkit.toolstack.xl", "mem-access:org.hvkit.memaccess"},
                mavenBundle("org.apache.felix", "org.apache.felix.gogo.runtime", System.getProperty("felix.gogo.runtime.version")));
    }

    @Test
    public void xenAccessLogsEachPageWrittenOnceAndRestores() throws Exception {
        int d = hv.createDomain(DomainConfig.builder("wr").vcpus(1).memoryMb(32).platformOptions(Map.of("workload", "run 1ms touch w 0x8000-0xffff every 10us; sleep 1ms")).build()).id();
        Gogo r = Gogo.run(gogo, "hv xen-access -t 1 wr write");
        long lines = r.output().lines().filter(l -> l.startsWith("PAGE ACCESS: -w- for GFN ")).count();
        assertEquals(r.output(), 8, lines);
        assertTrue(r.output(), r.output().contains("xenaccess shut down on signal 14"));
        assertEquals(P2mAccess.RWX, ma.getDefaultAccess(d));
        assertEquals(0L, (long) hv.p2m(d).counts().pagesByAccess().get(P2mAccess.RX));
        String p2m = Gogo.run(gogo, "hv p2m wr").output();
        assertTrue(p2m, p2m.startsWith("p2m of domain " + d + " (wr): 8192 frames (32 MiB), 8192 backed, default access rwx"));
        hv.destroyDomain(d);
    }

    @Test
    public void theDetectorInstalledLiveFlagsAStager() throws Exception {
        int stager = hv.createDomain(DomainConfig.builder("stager").vcpus(1).memoryMb(32)
                .platformOptions(Map.of("workload", "run 200us touch w 0x40000-0x40fff every 10us; run 100us touch x 0x40000-0x40fff every 10us; sleep 1ms")).build()).id();
        int burn = hv.createDomain(DomainConfig.builder("burn").vcpus(1).memoryMb(32).platformOptions(Map.of("workload", "cpu")).build()).id();
        Path jar = Path.of(System.getProperty("hvkit.root"), "itest/example-detector/target", "org.hvkit.example.detector-" + System.getProperty("hvkit.version") + ".jar");
        assertTrue(jar + " missing", Files.exists(jar));
        Bundle b = bc.installBundle(jar.toUri().toString());
        b.start();
        try {
            long end = System.currentTimeMillis() + 10_000;
            String dmesg = "";
            while (System.currentTimeMillis() < end && !dmesg.contains("code injection")) {
                Thread.sleep(100);
                dmesg = String.join("\n", hv.readConsole(false));
            }
            assertTrue(dmesg, dmesg.contains("injection-detector: d" + stager + " (stager) executes gfn 40"));
            assertFalse(dmesg, dmesg.contains("(burn) executes"));
        } finally {
            b.uninstall();
        }
        // uninstalling the plugin restored every page and let go of the domains
        assertEquals(0L, (long) hv.p2m(stager).counts().pagesByAccess().get(P2mAccess.RX));
        ma.enable(burn, e -> org.hvkit.api.memaccess.AccessResponse.resume()).close();
        hv.destroyDomain(stager);
        hv.destroyDomain(burn);
    }
}
