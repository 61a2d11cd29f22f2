package org.hvkit.itest;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.CoreOptions.mavenBundle;

import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.inject.Inject;
import org.apache.felix.service.command.CommandProcessor;
import org.hvkit.api.domain.CpuMask;
import org.hvkit.api.domain.DomainConfig;
import org.hvkit.api.toolstack.Hypervisor;
import org.hvkit.api.toolstack.PoolInfo;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerMethod;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.hooks.weaving.WeavingHook;
import org.osgi.framework.startlevel.BundleStartLevel;

/**
 * Issue 15, item 3: scheduler bundles hot-deployed into a running host call {@code System.exit},
 * {@code Runtime.halt}, {@code Runtime.halt} through a method handle found by a computed name, and
 * stop the system bundle, from {@code doSchedule}. The guard bundle has rewritten those calls at class load: each is
 * refused with a SecurityException, the core evicts the scheduler of that pool alone (the record,
 * with the bundle and the call, in {@code xl dmesg}), and the domains of both pools keep running.
 * Without the guard the surefire JVM would end here, so a passing run is the host surviving. The
 * launcher's shell, installed with the framework, is exempt; the same jar installed later is not.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerMethod.class)
public class ExitGuardIT {
    @Inject
    Hypervisor hv;

    @Inject
    CommandProcessor gogo;

    @Inject
    BundleContext bc;

    @Configuration
    public Option[] config() {
        return Framework.with(new String[] {"bundles/api:org.hvkit.api", "bundles/core:org.hvkit.core", "bundles/timer:org.hvkit.timer", "bundles/platform-sim:org.hvkit.platform.sim",
            "sched-credit1:org.hvkit.sched.credit1", "toolstack-xl:org.hvkit.toolstack.xl", "bundles/shell:org.hvkit.shell"},
                mavenBundle("org.apache.felix", "org.apache.felix.gogo.runtime", System.getProperty("felix.gogo.runtime.version")),
                mavenBundle("org.jline", "jline", System.getProperty("jline.version"))); // the shell's console
    }

    private long cpuTime(String domain) {
        return hv.findDomain(domain).orElseThrow().cpuTimeNs();
    }

    private PoolInfo pool(String name) {
        return hv.findPool(name).orElseThrow();
    }

    private void bothDomainsRun(String step) throws InterruptedException {
        long good = cpuTime("good"), guest = cpuTime("guest");
        Thread.sleep(250); // 5 s of virtual time at 20x
        assertTrue(step + ": good (Pool-0) keeps running", cpuTime("good") > good + 100_000_000L);
        assertTrue(step + ": guest (the evicted pool) keeps running under the fallback", cpuTime("guest") > guest + 100_000_000L);
        assertEquals(step, 2, hv.vcpus(hv.findDomain("guest").orElseThrow().id()).size());
    }

    @Test
    public void schedulersThatTryToEndTheJvmAreRefusedAndTheirPoolAloneIsEvicted() throws Exception {
        hv.removePoolCpus(0, CpuMask.of(2, 3));
        int bad = hv.createPool("bad", "credit", CpuMask.of(2, 3)).id();
        hv.createDomain(DomainConfig.builder("good").vcpus(2).platformOptions(Map.of("workload", "cpu")).build());
        hv.createDomain(DomainConfig.builder("guest").vcpus(2).pool("bad").platformOptions(Map.of("workload", "cpu")).build());
        Bundle plugin = bc.installBundle(Framework.jar("itest/test-schedulers", "org.hvkit.itest.schedulers"));
        plugin.start();
        bothDomainsRun("before");

        String[][] cases = {
            {"exiter", "System.exit(3)", "ExiterProvider"},
            {"halter", "Runtime.halt(4)", "HalterProvider"},
            {"sneaky", "MethodHandles.Lookup.findVirtual of java.lang.Runtime.halt", "SneakyHalterProvider"},
            {"stopper", "Bundle.stop of org.apache.felix.framework [0]", "StopperProvider"},
        };
        for (String[] c : cases) {
            String sched = c[0];
            long start = System.nanoTime();
            hv.switchScheduler(bad, sched);
            long deadline = start + 5_000_000_000L;
            while (pool("bad").scheduler().equals(sched) && System.nanoTime() < deadline) Thread.sleep(2);
            long evictedMs = (System.nanoTime() - start) / 1_000_000;
            assertEquals(sched + " evicted, the pool back on the default", "credit", pool("bad").scheduler());
            assertEquals("Pool-0 untouched", "credit", hv.pools().get(0).scheduler());

            String dmesg = Gogo.run(gogo, "xl dmesg").output();
            Matcher m = Pattern.compile("watchdog: cpupool bad \\(id " + bad + "\\): scheduler " + sched + " evicted: do_schedule on cpu [23] threw "
                    + Pattern.quote("java.lang.SecurityException: hvkit guard: refused " + c[1] + " in org.hvkit.itest.schedulers.internal." + c[2]
                            + " (bundle org.hvkit.itest.schedulers ") + "\\S+, id " + plugin.getBundleId() + "\\): a plugin may not end the JVM").matcher(dmesg);
            assertTrue(dmesg, m.find());
            System.out.println("ExitGuardIT: " + sched + " (" + c[1] + ") refused and evicted " + evictedMs + " ms after the switch");
            bothDomainsRun(sched + " evicted");
        }
        assertEquals("the framework still runs", Bundle.ACTIVE, bc.getBundle(0).getState());
        assertEquals("the faulty bundle itself is left to the operator", Bundle.ACTIVE, plugin.getState());
        plugin.uninstall();
        bothDomainsRun("faulty bundle removed");
    }

    private static boolean woven(Bundle b, String className) throws ClassNotFoundException {
        for (java.lang.reflect.Method m : b.loadClass(className).getDeclaredMethods()) {
            if (m.getName().startsWith("hvkit$guard$") && m.isSynthetic()) return true;
        }
        return false;
    }

    private Bundle installed(String bsn) {
        for (Bundle b : bc.getBundles()) if (bsn.equals(b.getSymbolicName())) return b;
        return null;
    }

    /** The launcher's shell, installed with the framework, keeps its System.exit; the same jar installed later is woven like a plugin. */
    @Test
    public void onlyTheExemptBundlesInstalledBeforeTheGuardKeepTheirExit() throws Exception {
        String runner = "org.hvkit.shell.internal.ScriptRunner";
        Bundle shell = installed("org.hvkit.shell");
        assertTrue("ScriptRunner of the shell installed at boot is not woven", !woven(shell, runner));
        Bundle plugin = bc.installBundle(Framework.jar("itest/test-schedulers", "org.hvkit.itest.schedulers"));
        assertTrue("a plugin calling System.exit is woven", woven(plugin, "org.hvkit.itest.schedulers.internal.ExiterProvider"));
        shell.uninstall();
        Bundle late = bc.installBundle(Framework.jar("bundles/shell", "org.hvkit.shell"));
        assertTrue("the shell installed after the guard started is woven", woven(late, runner));
    }

    @Test
    public void theGuardStartsFirstAndRegistersItsWeavingHook() {
        Bundle guard = null;
        for (Bundle b : bc.getBundles()) if ("org.hvkit.guard".equals(b.getSymbolicName())) guard = b;
        assertEquals(Bundle.ACTIVE, guard.getState());
        assertEquals(1, guard.adapt(BundleStartLevel.class).getStartLevel());
        for (Bundle b : bc.getBundles()) {
            if (b.getBundleId() != 0 && b != guard) {
                assertTrue(b.getSymbolicName() + " starts after the guard", b.adapt(BundleStartLevel.class).getStartLevel() > 1);
            }
        }
        boolean registered = false;
        for (ServiceReference<?> r : guard.getRegisteredServices()) {
            for (String type : (String[]) r.getProperty("objectClass")) registered |= type.equals(WeavingHook.class.getName());
        }
        assertTrue("the guard's WeavingHook is registered", registered);
    }
}
