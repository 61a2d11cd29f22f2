package org.hvkit.platform.kvm.internal;

import java.util.Locale;
import org.osgi.service.component.ComponentContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns the KVM platform on when the framework property {@code hvkit.platform} is {@code kvm}, or
 * {@code auto} and {@code /dev/kvm} opens and can create a VM. In the latter case it first sets the
 * system property {@code hvkit.platform.resolved=kvm}, which keeps the simulated machine's selector
 * off; when KVM does not work it publishes {@code sim}. The simulated machine's selector waits for
 * this verdict whenever this bundle is installed, so start order does not matter. The KVM platform
 * also carries a higher {@code service.ranking} so that a core binding late still prefers it.
 */
@Component(immediate = true)
public final class KvmPlatformSelector {
    private static final Logger LOG = LoggerFactory.getLogger(KvmPlatformSelector.class);

    @Activate
    void activate(ComponentContext cc) {
        String wanted = cc.getBundleContext().getProperty("hvkit.platform");
        String w = wanted == null || wanted.isBlank() ? "auto" : wanted.strip().toLowerCase(Locale.ROOT);
        if (!w.equals("kvm") && !w.equals("auto")) return;
        String bad = problem(cc.getBundleContext()::getProperty);
        if (bad != null) { // one line and status 2, as every bad setting: not a DS stack trace and a dead host
            org.hvkit.api.platform.StartupRefusal.refuse(cc.getBundleContext().getBundle(0)::stop, bad);
            return;
        }
        String why = Kvm.probe();
        if (why == null) {
            if (w.equals("auto")) System.setProperty("hvkit.platform.resolved", "kvm");
            LOG.info("platform {}: using KVM{}", w, Kvm.isPvm() ? " (PVM host: no hardware virtualisation)" : "");
            cc.enableComponent(KvmPlatform.class.getName());
        } else if (w.equals("kvm")) {
            LOG.error("hvkit.platform=kvm but KVM does not work here: {}", why);
        } else {
            System.setProperty("hvkit.platform.resolved", "sim");
            LOG.info("platform auto: KVM not usable ({}); leaving the machine to the simulator", why);
        }
    }

    /** The first bad KVM setting as "property=value: accepted form", or null. */
    static String problem(java.util.function.Function<String, String> props) {
        try {
            GuestCpuid.verbose(props.apply(GuestCpuid.VERBOSE_PROPERTY));
        } catch (IllegalArgumentException e) {
            return e.getMessage();
        }
        String mem = props.apply("hvkit.kvm.memory");
        if (mem != null && !mem.isBlank() && !mem.strip().matches("[1-9][0-9]{0,9}")) return "hvkit.kvm.memory=" + mem + ": expected MiB, a whole number such as 4096";
        return null;
    }
}
