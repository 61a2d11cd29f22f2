package org.hvkit.guard.internal;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import org.osgi.annotation.bundle.Header;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleActivator;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceRegistration;
import org.osgi.framework.hooks.weaving.WeavingHook;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Registers the {@link GuardHook}. A plain activator rather than a DS component, so that the
 * guard runs at the lowest start level, before SCR and before any plugin has loaded a class.
 *
 * <p>Framework property {@value #EXEMPT}: comma-separated symbolic names allowed to end the JVM
 * (default {@value #DEFAULT_EXEMPT}: the launcher's own, whose script runner exits with the
 * script's status when no bnd launcher does, and the operator's console, whose {@code shutdown},
 * {@code stop 0} and end of input stop the framework, and the hypervisor's own core and platforms,
 * and the DMA engine bundle, which stop the framework when a setting is bad: see org.hvkit.api.platform.StartupRefusal). Only bundles already installed when the guard starts are exempt, so a
 * plugin dropped in later under an exempt name is woven like any other.
 */
@Header(name = Constants.BUNDLE_ACTIVATOR, value = "${@class}")
public final class GuardActivator implements BundleActivator {
    static final String EXEMPT = "hvkit.guard.exempt";
    /** Same name as org.hvkit.api.platform.StartupRefusal's; the guard depends on no other bundle. */
    static final String EXIT_STATUS = "hvkit.exit.status";
    static final String DEFAULT_EXEMPT = "org.hvkit.shell,org.apache.felix.gogo.shell,org.apache.felix.gogo.command,org.hvkit.core,org.hvkit.platform.sim,org.hvkit.platform.kvm,org.hvkit.hw.dma";
    private static final Logger LOG = LoggerFactory.getLogger(GuardActivator.class);

    private ServiceRegistration<WeavingHook> registration;

    @Override
    public void start(BundleContext bc) {
        String names = bc.getProperty(EXEMPT);
        // a set built by hand: Set.of would throw on a name listed twice, and the guard must start whatever the property says
        Set<String> exemptNames = new HashSet<>(Arrays.asList((names == null ? DEFAULT_EXEMPT : names).trim().split("\\s*,\\s*")));
        Set<Long> exempt = new HashSet<>();
        long self = bc.getBundle().getBundleId();
        for (Bundle b : bc.getBundles()) {
            if (b.getBundleId() == 0 || b.getBundleId() == self) continue;
            if (exemptNames.contains(b.getSymbolicName())) exempt.add(b.getBundleId());
            else if ((b.getState() & (Bundle.STARTING | Bundle.ACTIVE)) != 0) {
                LOG.warn("hvkit guard: bundle {} (id {}) started before the guard: classes it loaded already are not checked; give the guard the lowest start level",
                        b.getSymbolicName(), b.getBundleId());
            }
        }
        registration = bc.registerService(WeavingHook.class, new GuardHook(self, exempt), null);
        LOG.info("hvkit guard: weaving every bundle's classes but the system bundle's and those of bundles {} (exempt: {})", exempt, exemptNames);
    }

    @Override
    public void stop(BundleContext bc) {
        if (registration != null) registration.unregister();
        registration = null;
        exitStatusOnEnd();
    }

    /**
     * A bundle that may not end the JVM asks for its status instead (a refused start-up sets
     * {@value #EXIT_STATUS}); the guard stops last, and makes it the process's status when the
     * launcher ends the JVM, which would otherwise say 0.
     */
    static void exitStatusOnEnd() {
        String asked = System.getProperty(EXIT_STATUS);
        if (asked == null) return;
        int status;
        try {
            status = Integer.parseInt(asked.trim());
        } catch (NumberFormatException e) {
            LOG.warn("hvkit guard: {}={} is not a status; ignored", EXIT_STATUS, asked);
            return;
        }
        if (status < 1 || status > 125) return;
        try {
            Runtime.getRuntime().addShutdownHook(Thread.ofPlatform().name("hvkit-exit-status").unstarted(() -> {
                System.out.flush();
                System.err.flush();
                Runtime.getRuntime().halt(status);
            }));
        } catch (IllegalStateException ending) {
            Runtime.getRuntime().halt(status); // the JVM is already ending
        }
    }
}
