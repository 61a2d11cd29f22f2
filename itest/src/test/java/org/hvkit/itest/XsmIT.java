package org.hvkit.itest;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;
import javax.inject.Inject;
import org.hvkit.api.domain.DomainConfig;
import org.hvkit.api.toolstack.Hypervisor;
import org.hvkit.api.toolstack.HypervisorException;
import org.hvkit.api.xsm.Caller;
import org.hvkit.api.xsm.Subject;
import org.hvkit.api.xsm.Xsm;
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
 * The FLASK bundle in a real Felix (issue 18): bound by DS, setenforce and loadpolicy 50 times under load, stopped (every decision fails closed,
 * domains run on), started again, and updated with a jar whose policy differs (the new policy
 * decides at once), all with domains running.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerMethod.class)
public class XsmIT {
    static final Subject MONITOR = new Subject("system_u:system_r:monitor_t", 0, "user alice");

    @Inject
    Hypervisor hv;

    @Inject
    Xsm xsm;

    @Inject
    BundleContext bc;

    @Configuration
    public Option[] config() {
        return Framework.with(new String[] {"bundles/api:org.hvkit.api", "bundles/core:org.hvkit.core", "bundles/timer:org.hvkit.timer",
            "bundles/platform-sim:org.hvkit.platform.sim", "sched-credit1:org.hvkit.sched.credit1", "xsm-flask:org.hvkit.xsm.flask"});
    }

    private Bundle flask() {
        for (Bundle b : bc.getBundles()) if ("org.hvkit.xsm.flask".equals(b.getSymbolicName())) return b;
        throw new AssertionError("no flask bundle");
    }

    private void waitFor(Xsm.Mode mode) throws InterruptedException {
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (xsm.mode() != mode && System.nanoTime() < deadline) Thread.sleep(5);
        assertEquals(mode, xsm.mode());
    }

    private long[] times(List<String> names) {
        return names.stream().mapToLong(n -> hv.findDomain(n).orElseThrow().cpuTimeNs()).toArray();
    }

    private void runsOn(String step, List<String> names) throws InterruptedException {
        long[] before = times(names);
        Thread.sleep(200);
        long[] after = times(names);
        for (int i = 0; i < names.size(); i++) assertTrue(step + ": " + names.get(i) + " runs on", after[i] > before[i] + 50_000_000L);
    }

    private boolean monitorMayPause(int domid) throws Exception {
        try {
            Caller.call(MONITOR, () -> {
                hv.pauseDomain(domid);
                return null;
            });
            hv.unpauseDomain(domid);
            return true;
        } catch (HypervisorException e) {
            assertEquals(HypervisorException.Errno.EACCES, e.errno());
            return false;
        }
    }

    /** The flask jar with its example policy replaced by {@code policy}. */
    private byte[] jarWithPolicy(String policy) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (InputStream in = URI.create(Framework.jar("xsm-flask", "org.hvkit.xsm.flask")).toURL().openStream();
                ZipInputStream zin = new ZipInputStream(in); ZipOutputStream zout = new ZipOutputStream(out)) {
            for (ZipEntry e; (e = zin.getNextEntry()) != null;) {
                zout.putNextEntry(new ZipEntry(e.getName()));
                if (e.getName().endsWith("internal/xen.te")) zout.write(policy.getBytes(StandardCharsets.UTF_8));
                else zin.transferTo(zout);
                zout.closeEntry();
            }
        }
        return out.toByteArray();
    }

    @Test
    public void theSecurityBundleIsStoppedStartedAndUpdatedWithANewPolicyWhileDomainsRun() throws Exception {
        waitFor(Xsm.Mode.ENFORCING);
        int web = hv.createDomain(DomainConfig.builder("web").platformOptions(Map.of("workload", "cpu")).build()).id();
        hv.createDomain(DomainConfig.builder("vault").seclabel("system_u:system_r:isolated_domU_t").platformOptions(Map.of("workload", "cpu")).build());
        List<String> doms = List.of("web", "vault");
        runsOn("enforcing", doms);
        assertTrue("the example policy keeps the monitor from pausing", !monitorMayPause(web));

        // setenforce and loadpolicy, over and over, with the domains running in real time
        String policy = new String(flask().getEntry("org/hvkit/xsm/flask/internal/xen.te").openStream().readAllBytes(), StandardCharsets.UTF_8);
        long[] beforeLoads = times(doms);
        for (int i = 0; i < 50; i++) {
            xsm.setEnforcing(i % 2 == 1);
            xsm.loadPolicy("xen.te#" + i, policy);
        }
        assertEquals(Xsm.Mode.ENFORCING, xsm.mode());
        runsOn("after 50 setenforce + loadpolicy", doms);
        long[] afterLoads = times(doms);
        for (int i = 0; i < doms.size(); i++) assertTrue(doms.get(i) + " ran during the loads", afterLoads[i] > beforeLoads[i]);
        assertTrue("still refused after the loads", !monitorMayPause(web));

        long[] beforeStop = times(doms);
        flask().stop();
        waitFor(Xsm.Mode.CLOSED);
        try {
            hv.pauseDomain(web);
            fail("Domain-0 was allowed while no security module was bound");
        } catch (HypervisorException e) {
            assertEquals(HypervisorException.Errno.EACCES, e.errno());
        }
        assertTrue(xsm.admit("alice", java.util.Set.of("hvops")).isEmpty());
        assertTrue("even listing is denied while closed", hv.findDomain("web").isEmpty());
        Thread.sleep(300);

        flask().start();
        waitFor(Xsm.Mode.ENFORCING);
        long[] afterStart = times(doms);
        for (int i = 0; i < doms.size(); i++) {
            assertTrue(doms.get(i) + " ran on while the security module was away", afterStart[i] > beforeStop[i] + 200_000_000L);
        }
        assertEquals("system_u:system_r:isolated_domU_t", xsm.domainContext(hv.findDomain("vault").orElseThrow().id()).orElseThrow());
        runsOn("started again", doms);

        Bundle b = flask();
        String example;
        try (InputStream in = b.getEntry("org/hvkit/xsm/flask/internal/xen.te").openStream()) {
            example = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        String granting = example.replace("neverallow monitor_t *:domain { create destroy pause unpause",
                "neverallow monitor_t *:domain { create destroy").replace("dontaudit monitor_t isolated_domU_t:domain getdomaininfo;",
                "dontaudit monitor_t isolated_domU_t:domain getdomaininfo;\nallow monitor_t domU_t:domain { pause unpause };");
        b.update(new java.io.ByteArrayInputStream(jarWithPolicy(granting)));
        waitFor(Xsm.Mode.ENFORCING);
        runsOn("updated", doms);
        assertTrue("the updated bundle's policy decides", monitorMayPause(web));
        String log = String.join("\n", hv.readConsole(false));
        assertTrue(log, log.contains("xsm: security module flask gone: every operation is denied until a security module is bound again"));
        assertTrue(log, log.contains("xsm: security module flask bound, enforcing"));
    }
}
