package org.hvkit.platform.sim.internal;

import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;

/**
 * Stops start-up on a bad setting: one line on stderr naming property, value and accepted form,
 * then the framework stops. A half-started host (no machine, a shell whose xl throws) is worse.
 */
final class StartupRefusal {
    private StartupRefusal() { }

    static void refuse(BundleContext bc, String line) {
        System.err.println("hvkit: cannot start: " + line);
        System.err.flush();
        try {
            bc.getBundle(0).stop(); // Felix stops asynchronously, so this is safe inside activate
        } catch (BundleException | IllegalStateException e) {
            System.err.println("hvkit: could not stop the framework: " + e.getMessage());
        }
    }
}
