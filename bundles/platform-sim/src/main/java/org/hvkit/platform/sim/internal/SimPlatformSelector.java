package org.hvkit.platform.sim.internal;

import java.util.Locale;
import org.osgi.service.component.ComponentContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns the simulated machine on when the framework property {@code hvkit.platform} is
 * {@code sim}, {@code auto} or unset. With {@code auto}, a KVM platform bundle (when one is
 * installed and {@code /dev/kvm} works) keeps the simulated machine off by setting
 * {@code hvkit.platform.resolved=kvm} before this runs; otherwise the simulation is the machine.
 */
@Component(immediate = true)
public final class SimPlatformSelector {
    private static final Logger LOG = LoggerFactory.getLogger(SimPlatformSelector.class);

    @Activate
    void activate(ComponentContext cc) {
        String wanted = cc.getBundleContext().getProperty("hvkit.platform");
        String w = wanted == null || wanted.isBlank() ? "auto" : wanted.strip().toLowerCase(Locale.ROOT);
        String resolved = System.getProperty("hvkit.platform.resolved");
        boolean on = w.equals("sim") || (w.equals("auto") && !"kvm".equals(resolved));
        if (on) {
            LOG.info("platform {}: using the simulated machine", w);
            cc.enableComponent(SimPlatform.class.getName());
        } else if (!w.equals("kvm")) {
            LOG.error("hvkit.platform={}: unknown platform; expected sim, kvm or auto", wanted);
        }
    }
}
