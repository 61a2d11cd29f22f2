package org.hvkit.platform.sim.internal;

import org.hvkit.api.platform.StartupRefusal;
import java.util.Arrays;
import java.util.Locale;
import org.osgi.framework.Bundle;
import org.osgi.service.component.ComponentContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns the simulated machine on when the framework property {@code hvkit.platform} is
 * {@code sim}, or {@code auto} (the default) and KVM is not to be used. Under {@code auto}, when a
 * KVM platform bundle is installed, this waits for its verdict (the system property
 * {@code hvkit.platform.resolved}, {@code kvm} or {@code sim}) so that bundle start order does not
 * matter; without such a bundle the simulated machine is the machine at once.
 */
@Component(immediate = true)
public final class SimPlatformSelector {
    private static final Logger LOG = LoggerFactory.getLogger(SimPlatformSelector.class);
    static final String KVM_BUNDLE = "org.hvkit.platform.kvm";
    private static final long VERDICT_WAIT_MS = 10_000;
    /** Model bundles start with the distribution; a few seconds is ample, then the name is wrong. */
    static final long CPU_MODEL_WAIT_MS = 3_000;
    private volatile Thread waiter;

    @Activate
    void activate(ComponentContext cc) {
        String wanted = cc.getBundleContext().getProperty("hvkit.platform");
        String w = wanted == null || wanted.isBlank() ? "auto" : wanted.strip().toLowerCase(Locale.ROOT);
        String bad = problem(cc.getBundleContext()::getProperty);
        if (bad != null) {
            StartupRefusal.refuse(cc.getBundleContext().getBundle(0)::stop, bad);
            return;
        }
        switch (w) {
            case "sim" -> enable(cc, "platform sim: using the simulated machine");
            case "kvm" -> { }
            case "auto" -> {
                boolean kvmInstalled = Arrays.stream(cc.getBundleContext().getBundles())
                        .anyMatch(b -> KVM_BUNDLE.equals(b.getSymbolicName()) && b.getState() != Bundle.UNINSTALLED);
                if (!kvmInstalled) {
                    enable(cc, "platform auto: no KVM platform installed; using the simulated machine");
                    return;
                }
                waiter = Thread.ofPlatform().daemon().name("hvkit-platform-auto").start(() -> awaitVerdict(cc));
            }
            default -> throw new IllegalStateException("checked by problem()");
        }
    }

    /**
     * The first bad setting this bundle reads ({@code hvkit.platform}, {@code hvkit.sim.*}) as one
     * line naming property, value and accepted form, or null. Checked before the machine is built
     * so a typo stops start-up instead of failing later inside DS.
     */
    static String problem(java.util.function.Function<String, String> props) {
        String wanted = props.apply("hvkit.platform");
        String w = wanted == null || wanted.isBlank() ? "auto" : wanted.strip().toLowerCase(Locale.ROOT);
        if (!w.equals("sim") && !w.equals("kvm") && !w.equals("auto"))
            return "hvkit.platform=" + wanted + ": expected sim, kvm or auto";
        if (w.equals("kvm")) return null;
        try {
            SimConfig.fromProperties(props);
        } catch (IllegalArgumentException e) {
            return e.getMessage();
        }
        return null;
    }

    private void awaitVerdict(ComponentContext cc) {
        long deadline = System.currentTimeMillis() + VERDICT_WAIT_MS;
        String verdict;
        while ((verdict = System.getProperty("hvkit.platform.resolved")) == null && System.currentTimeMillis() < deadline) {
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                return;
            }
        }
        if ("kvm".equals(verdict)) {
            LOG.info("platform auto: KVM is the machine; the simulated machine stays off");
        } else {
            enable(cc, verdict == null ? "platform auto: the KVM platform gave no verdict in " + VERDICT_WAIT_MS / 1000 + " s; using the simulated machine"
                    : "platform auto: KVM not usable; using the simulated machine");
        }
    }

    private void enable(ComponentContext cc, String why) {
        String cpu = cc.getBundleContext().getProperty("hvkit.sim.cpu");
        if (cpu == null || cpu.isBlank() || cpu.strip().equals("SandyBridge")) {
            LOG.info(why);
            cc.enableComponent(SimPlatform.class.getName());
            return;
        }
        // a named model must be offered by a model bundle of this distribution: never a silent stand-in
        Thread t = Thread.ofPlatform().daemon().name("hvkit-sim-cpu-check").start(() -> {
            String missing = CpuModelCheck.awaitModel(cc.getBundleContext(), cpu.strip(), CPU_MODEL_WAIT_MS);
            if (missing != null) {
                StartupRefusal.refuse(cc.getBundleContext().getBundle(0)::stop, missing);
            } else {
                LOG.info(why);
                cc.enableComponent(SimPlatform.class.getName());
            }
        });
        if (waiter == null) waiter = t;
    }

    @Deactivate
    void deactivate() {
        Thread t = waiter;
        if (t != null) t.interrupt();
    }
}
